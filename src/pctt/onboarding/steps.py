"""The wizard's steps and whether each is done, read from the data the owning apps hold."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pctt.accounts.roles import ROLES, RoleKey
from pctt.areas.models import AdminUnit, HazardZone
from pctt.onboarding.models import ChannelTest, Onboarding

#: The code of the fictional ward `pctt demo` loads (kept here to avoid importing the demo).
DEMO_WARD_CODE = "DEMO-00001"


@dataclass(frozen=True)
class Step:
    key: str
    title: Promise
    summary: Promise
    check: Callable[[Onboarding], bool]


def _ward(state: Onboarding) -> AdminUnit | None:
    ward = state.ward
    return ward if ward is not None and ward.code != DEMO_WARD_CODE else None


def _has_ward(state: Onboarding) -> bool:
    from pctt.areas.models import WardSetting

    ward = _ward(state)
    return ward is not None and WardSetting.load().ward_id == ward.pk


def _has_groups(state: Onboarding) -> bool:
    ward = _ward(state)
    return ward is not None and AdminUnit.objects.groups().filter(parent=ward).exists()


def _has_zones(state: Onboarding) -> bool:
    ward = _ward(state)
    return ward is not None and HazardZone.objects.filter(commune=ward).exists()


def _has_organisations(state: Onboarding) -> bool:
    from pctt.plans.models import Organisation

    ward = _ward(state)
    return ward is not None and Organisation.objects.filter(ward=ward).exists()


def role_holders(key: RoleKey) -> set[int]:
    """Active users who hold a role (through its group); the demo ward's accounts do not
    count: a real ward needs real people."""
    from pctt.demo.load import DEMO_USERS

    demo_names = [username for username, _org in DEMO_USERS.values()]
    users = get_user_model().objects.filter(is_active=True).exclude(username__in=demo_names)
    return set(
        users.filter(groups__name=ROLES[key].group_name).values_list("pk", flat=True).distinct()
    )


def _has_two_people(state: Onboarding) -> bool:
    """Someone drafts and a different person approves: no single account sends a warning."""
    operators = role_holders(RoleKey.ALERT_OPERATOR)
    approvers = role_holders(RoleKey.ALERT_APPROVER)
    return any(a != b for a in operators for b in approvers)


def tested_providers() -> set[int]:
    """Enabled real (non-stub) providers whose latest test went through."""
    from pctt.dispatch.models import ChannelProvider

    real = ChannelProvider.objects.filter(enabled=True).exclude(
        Q(kind=ChannelProvider.Kind.CONSOLE) | Q(kind=ChannelProvider.Kind.FILE)
    )
    ok = set()
    for provider_id in real.values_list("pk", flat=True):
        latest = ChannelTest.objects.filter(provider_id=provider_id).first()
        if latest is not None and latest.ok:
            ok.add(provider_id)
    return ok


def _has_channel(state: Onboarding) -> bool:
    return bool(tested_providers())


def _templates_reviewed(state: Onboarding) -> bool:
    from pctt.alerts.models import WarningTemplate

    return (
        state.templates_reviewed_at is not None
        and WarningTemplate.objects.filter(is_active=True).exists()
    )


def _finished(state: Onboarding) -> bool:
    return state.finished_at is not None


STEPS: tuple[Step, ...] = (
    Step("ward", _("Ward"), _("Choose the ward from the official list"), _has_ward),
    Step(
        "groups",
        _("Residential groups"),
        _("Import or draw the residential groups and hamlets"),
        _has_groups,
    ),
    Step("zones", _("Hazard zones"), _("Import or draw the hazard zones"), _has_zones),
    Step(
        "organisations",
        _("Organisations"),
        _("The ward's organisations that carry out the plan"),
        _has_organisations,
    ),
    Step(
        "users",
        _("Users and roles"),
        _("At least one person drafts warnings and another approves them"),
        _has_two_people,
    ),
    Step(
        "channels",
        _("Channels"),
        _("E-mail, SMS gateway, loudspeakers: each with a successful test"),
        _has_channel,
    ),
    Step(
        "templates",
        _("Warning templates"),
        _("Read the warning templates and mark them reviewed"),
        _templates_reviewed,
    ),
    Step("finish", _("Finish"), _("Check what is left and finish"), _finished),
)
STEP_KEYS = tuple(step.key for step in STEPS)
BY_KEY = {step.key: step for step in STEPS}


@dataclass(frozen=True)
class StepStatus:
    number: int
    key: str
    title: Promise
    summary: Promise
    done: bool
    skipped: bool
    url: str

    @property
    def missing(self) -> bool:
        return not self.done


def statuses(state: Onboarding) -> list[StepStatus]:
    return [
        StepStatus(
            number=index,
            key=step.key,
            title=step.title,
            summary=step.summary,
            done=step.check(state),
            skipped=step.key in state.skipped,
            url=reverse("onboarding_step", args=[step.key]),
        )
        for index, step in enumerate(STEPS, start=1)
    ]


def next_step(state: Onboarding, after: str | None = None) -> str:
    """The first step after `after` (or from the start) that is neither done nor skipped."""
    rows = statuses(state)
    start = STEP_KEYS.index(after) + 1 if after else 0
    for row in rows[start:]:
        if not row.done and not row.skipped:
            return row.key
    return "finish"
