"""Every change the set-up wizard makes goes through here.

Where the owning app has an action, we call it (areas: `load_reference`, `import_areas`;
alerts: `install_default_templates`); where it has none (the ward served, organisations,
accounts, channel providers) the change is made here with the owning app's permission and an
audit entry, so the wizard never writes around the rules the back office enforces.
"""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pctt.accounts.audit import changes, log_action, snapshot
from pctt.accounts.models import Membership
from pctt.accounts.roles import ROLES, RoleKey, group_for, sync_roles
from pctt.areas.actions import AreaImportError, import_areas, load_reference
from pctt.areas.geo import parse_feature_collection
from pctt.areas.models import AdminUnit, HazardZone, WardSetting
from pctt.core import phone
from pctt.onboarding.models import ChannelTest, Onboarding
from pctt.onboarding.steps import DEMO_WARD_CODE, STEP_KEYS

User = Any  # a user or AnonymousUser; Django's stubs type has_perm on the concrete User

RUN = "onboarding.run_onboarding"
#: The 2025 reference list: 3,321 communes/wards in 34 provinces.
REFERENCE_COMMUNES = 3321
GROUP_LEVELS = ("residential_group", "hamlet")
ZONE_LEVELS = ("hazard_zone",)


class SetupError(ValueError):
    """Input refused with a message an official can act on (already translated)."""

    def __init__(self, message: str, lines: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.lines = lines or []


def _require(user: User, *permissions: str) -> None:
    for permission in (RUN, *permissions):
        if not user.is_authenticated or not user.has_perm(permission):
            raise PermissionDenied(permission)


def state_for(user: User) -> Onboarding:
    """The installation's set-up state, created on first use (resumable from any device)."""
    _require(user)
    state = Onboarding.current()
    if state is None:
        with transaction.atomic():
            state = Onboarding.objects.create(started_by=user)
            log_action(
                "pctt.onboarding.start",
                user=user,
                instance=state,
                after=snapshot(state, STATE_AUDIT),
            )
    return state


def reference_loaded() -> bool:
    return (
        AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE).exclude(code=DEMO_WARD_CODE).count()
        >= REFERENCE_COMMUNES
    )


def ensure_reference(user: User) -> bool:
    """Load the official list of communes/wards when it is not complete; True if loaded."""
    _require(user, "areas.add_adminunit")
    if reference_loaded():
        return False
    load_reference(user=user)
    return True


@transaction.atomic
def choose_ward(
    state: Onboarding,
    ward: AdminUnit,
    *,
    user: User,
    display_name: str = "",
    cap_sender: str = "",
) -> Onboarding:
    """Serve `ward` from now on. An installation serves one ward (areas.WardSetting)."""
    _require(user, "areas.change_wardsetting")
    if ward.level != AdminUnit.Level.COMMUNE or ward.code == DEMO_WARD_CODE:
        raise SetupError(_("Choose a commune or ward from the official list."))
    setting = WardSetting.load()
    old = snapshot(setting, WARD_SETTING_AUDIT)
    old_state = snapshot(state, STATE_AUDIT)
    setting.ward = ward
    setting.display_name = display_name.strip()
    if cap_sender.strip():
        setting.cap_sender = cap_sender.strip()
    try:
        setting.full_clean()
    except ValidationError as exc:
        raise SetupError(" ".join(m for ms in exc.message_dict.values() for m in ms)) from exc
    setting.save()
    state.ward = ward
    state.skipped = [key for key in state.skipped if key != "ward"]
    state.save()
    log_action(
        "pctt.onboarding.choose_ward",
        user=user,
        instance=state,
        data={"code": ward.code, "name": ward.name},
        # The ward setting's fields, and the wizard's under "state" (what changed of it).
        before={**old, "state": changes(old_state, snapshot(state, STATE_AUDIT))[0]},
        after={
            **snapshot(setting, WARD_SETTING_AUDIT),
            "state": changes(old_state, snapshot(state, STATE_AUDIT))[1],
        },
    )
    return state


#: What choosing the ward changes on the ward setting (the CAP sender is masked in the log).
WARD_SETTING_AUDIT = ("ward", "display_name", "cap_sender")
#: The wizard's own state, as its entries' before/after show it.
STATE_AUDIT = ("ward", "skipped", "templates_reviewed_at", "templates_reviewed_by", "finished_at")


def _ward(state: Onboarding) -> AdminUnit:
    if state.ward is None or state.ward.code == DEMO_WARD_CODE:
        raise SetupError(_("Choose the ward first (step 1)."))
    return state.ward


def _check_scope(data: bytes, ward: AdminUnit, levels: tuple[str, ...]) -> None:
    """Refuse a file that would touch another ward or another step's kind of area.

    Validation proper is `import_areas`' job; this only checks what the wizard adds: every
    feature belongs to this ward, has a level this step imports, and reuses no code that
    belongs elsewhere (importing it would move another ward's group).
    """
    known = dict(AdminUnit.objects.values_list("code", "level"))
    plan = parse_feature_collection(
        data, known_codes=known, max_bytes=settings.PCTT_AREAS_MAX_IMPORT_BYTES
    )
    if plan.errors:
        raise AreaImportError(plan)
    lines: list[str] = []
    codes = [f.code for f in plan.features]
    mine = set(
        AdminUnit.objects.filter(code__in=codes, parent=ward).values_list("code", flat=True)
    ) | set(HazardZone.objects.filter(code__in=codes, commune=ward).values_list("code", flat=True))
    taken = (
        set(AdminUnit.objects.filter(code__in=codes).values_list("code", flat=True))
        | set(HazardZone.objects.filter(code__in=codes).values_list("code", flat=True))
    ) - mine
    for feature in plan.features:
        label = f"{feature.code} ({feature.name})"
        if feature.level not in levels:
            lines.append(
                _("%(area)s: this step imports only %(levels)s.")
                % {"area": label, "levels": ", ".join(_level_label(x) for x in levels)}
            )
        elif feature.parent_code != ward.code:
            lines.append(
                _("%(area)s: parent_code must be %(code)s, the code of %(ward)s.")
                % {"area": label, "code": ward.code, "ward": ward.name}
            )
        elif feature.code in taken:
            lines.append(
                _("%(area)s: this code already belongs to another area; choose another code.")
                % {"area": label}
            )
    if lines:
        raise SetupError(_("Nothing was imported."), lines)


def _level_label(level: str) -> str:
    labels = {
        "residential_group": _("residential groups"),
        "hamlet": _("hamlets"),
        "hazard_zone": _("hazard zones"),
    }
    return labels.get(level, level)


def import_file(
    state: Onboarding, data: bytes, *, user: User, source: str, levels: tuple[str, ...]
) -> int:
    """Import a GeoJSON file of this ward's groups (or zones): all or nothing."""
    _require(user, "areas.add_adminunit", "areas.add_hazardzone")
    ward = _ward(state)
    _check_scope(data, ward, levels)
    outcome = import_areas(data, user=user, source=source)
    return outcome.created + outcome.updated


@dataclass(frozen=True)
class DrawnArea:
    name: str
    geometry: dict[str, Any]
    code: str = ""
    hazard: str = ""
    households: int | None = None
    population: int | None = None


def next_code(ward: AdminUnit, prefix: str) -> str:
    """A free code such as `26734-TDP-03` for something drawn without an official code."""
    used = set(
        AdminUnit.objects.filter(code__startswith=f"{ward.code}-").values_list("code", flat=True)
    )
    used |= set(
        HazardZone.objects.filter(code__startswith=f"{ward.code}-").values_list("code", flat=True)
    )
    number = 1
    while f"{ward.code}-{prefix}-{number:02d}" in used:
        number += 1
    return f"{ward.code}-{prefix}-{number:02d}"


def draw_area(state: Onboarding, area: DrawnArea, *, user: User, level: str) -> str:
    """Save one polygon drawn on the map, through the same validation as a file import."""
    ward = _ward(state)
    if level not in (*GROUP_LEVELS, *ZONE_LEVELS):
        raise SetupError(_("Unknown kind of area."))
    code = area.code.strip() or next_code(ward, "VNC" if level == "hazard_zone" else "TDP")
    properties: dict[str, Any] = {
        "code": code,
        "name": area.name,
        "level": level,
        "parent_code": ward.code,
    }
    if level == "hazard_zone":
        properties["hazard"] = area.hazard
    for key in ("households", "population"):
        value = getattr(area, key)
        if value is not None:
            properties[key] = value
    collection = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": properties, "geometry": area.geometry}],
    }
    data = json.dumps(collection).encode()
    levels = ZONE_LEVELS if level == "hazard_zone" else GROUP_LEVELS
    import_file(state, data, user=user, source=_("drawn in the set-up wizard"), levels=levels)
    return code


def usual_organisations(ward: AdminUnit) -> list[tuple[str, str]]:
    """The mass organisations every commune/ward has, named for this ward (editable)."""
    from pctt.plans.models import Organisation

    place = "xã" if ward.name.lower().startswith("xã") else "phường"
    if ward.name.lower().startswith("đặc khu"):
        place = "đặc khu"
    kinds = Organisation.Kind
    return [
        (f"Ban Xây dựng Đảng Đảng uỷ {place}", kinds.PARTY_BUILDING_BOARD),
        (f"Uỷ ban nhân dân {place}", kinds.PEOPLES_COMMITTEE),
        (f"Uỷ ban Mặt trận Tổ quốc Việt Nam {place}", kinds.FATHERLAND_FRONT),
        (f"Đoàn Thanh niên {place}", kinds.YOUTH_UNION),
        (f"Hội Liên hiệp Phụ nữ {place}", kinds.WOMENS_UNION),
        (f"Hội Nông dân {place}", kinds.FARMERS_ASSOCIATION),
        (f"Hội Cựu chiến binh {place}", kinds.VETERANS_ASSOCIATION),
    ]


@transaction.atomic
def add_organisations(
    state: Onboarding, rows: list[tuple[str, str, AdminUnit | None]], *, user: User
) -> int:
    """Add organisations (name, kind, residential group for a Party cell); skip existing names."""
    from pctt.plans.models import Organisation

    _require(user, "plans.add_organisation")
    ward = _ward(state)
    created = 0
    for name, kind, area in rows:
        name = " ".join(name.split())
        if not name:
            continue
        if Organisation.objects.filter(ward=ward, name=name).exists():
            continue
        if area is not None and area.parent_id != ward.pk:
            raise SetupError(_("The residential group must belong to this ward."))
        organisation = Organisation(ward=ward, name=name, kind=kind, area=area)
        try:
            organisation.full_clean()
        except ValidationError as exc:
            raise SetupError(" ".join(m for ms in exc.message_dict.values() for m in ms)) from exc
        organisation.save()
        log_action(
            "pctt.onboarding.add_organisation",
            user=user,
            instance=organisation,
            after=snapshot(organisation, ("ward", "name", "kind", "area")),
        )
        created += 1
    return created


@transaction.atomic
def create_account(
    state: Onboarding,
    *,
    user: User,
    username: str,
    full_name: str,
    role: RoleKey,
    email: str = "",
    organisation_id: int | None = None,
) -> tuple[Any, str]:
    """A new account with one role; returns it and a one-time password to hand over."""
    from pctt.plans.models import Organisation

    _require(user, "auth.add_user", "auth.change_user")
    ward = _ward(state)
    model = get_user_model()
    username = username.strip()
    if not username or len(username) > 150:
        raise SetupError(_("Enter a user name of at most 150 characters."))
    try:
        model.username_validator(username)  # type: ignore[attr-defined]
    except ValidationError as exc:
        raise SetupError(
            _("A user name may contain only letters, digits and the characters @ . + - _")
        ) from exc
    if model.objects.filter(username__iexact=username).exists():
        raise SetupError(_("This user name is already taken."))
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise SetupError(_("Enter a valid e-mail address or leave it empty.")) from exc
    organisation = None
    if organisation_id is not None:
        organisation = Organisation.objects.filter(pk=organisation_id, ward=ward).first()
        if organisation is None:
            raise SetupError(_("Choose one of this ward's organisations."))
    sync_roles()  # a fresh install has no role groups yet
    password = secrets.token_urlsafe(9)
    account = model(username=username, first_name=full_name.strip()[:150], email=email.strip())
    account.set_password(password)
    account.save()
    account.groups.add(group_for(role))
    if organisation is not None:
        Membership.objects.create(user=account, organisation=organisation)
    # The e-mail address is not logged (privacy); the role and organisation are.
    log_action(
        "pctt.onboarding.create_account",
        user=user,
        instance=account,
        data={"username": username, "role": str(role), "organisation": organisation_id},
        after={
            **snapshot(account, ("username", "first_name", "is_active", "is_superuser")),
            "groups": [group_for(role).name],
            "organisation": organisation_id,
        },
    )
    return account, password


def demo_accounts() -> list[Any]:
    """Active accounts of the fictional demo ward (their passwords are in var/)."""
    from pctt.demo.load import DEMO_USERS

    names = [username for username, _org in DEMO_USERS.values()]
    return list(get_user_model().objects.filter(username__in=names, is_active=True))


@transaction.atomic
def deactivate_demo_accounts(*, user: User) -> int:
    _require(user, "auth.change_user")
    accounts = [a for a in demo_accounts() if a.pk != user.pk]
    for account in accounts:
        account.is_active = False
        account.save(update_fields=["is_active"])
    log_action(
        "pctt.onboarding.deactivate_demo_accounts",
        user=user,
        data={"usernames": [a.get_username() for a in accounts]},
        before={"is_active": {a.get_username(): True for a in accounts}},
        after={"is_active": {a.get_username(): False for a in accounts}},
    )
    return len(accounts)


#: Channel provider kind → (delivery channel, option keys the wizard's form fills).
CHANNEL_KINDS: dict[str, int] = {"smtp": 2, "sms_http": 1, "mqtt": 4}


@transaction.atomic
def add_channel(
    *, user: User, kind: str, name: str, options: dict[str, Any], priority: int = 10
) -> Any:
    from pctt.dispatch.models import ChannelProvider

    _require(user, "dispatch.add_channelprovider")
    if kind not in CHANNEL_KINDS:
        raise SetupError(_("Unknown kind of channel."))
    provider = ChannelProvider(
        name=name.strip(),
        channel=CHANNEL_KINDS[kind],
        kind=kind,
        priority=priority,
        options={k: v for k, v in options.items() if v not in ("", None)},
    )
    try:
        provider.full_clean()
    except ValidationError as exc:
        raise SetupError(" ".join(m for ms in exc.message_dict.values() for m in ms)) from exc
    provider.save()
    log_action(
        "pctt.onboarding.add_channel",
        user=user,
        instance=provider,
        data={"kind": kind, "name": provider.name},
        # Options name environment variables, never secrets; the log keeps only their keys.
        after={
            **snapshot(provider, ("name", "channel", "kind", "priority")),
            "options": sorted(provider.options),
        },
    )
    return provider


def test_recipient(kind: str, raw: str) -> str:
    """The address a test goes to, checked for the channel's kind (never logged)."""
    raw = raw.strip()
    if kind == "sms_http":
        try:
            return phone.normalise(raw)
        except phone.PhoneError as exc:
            raise SetupError(_("Enter a Vietnamese mobile number, e.g. 0912 345 678.")) from exc
    if kind == "smtp":
        try:
            validate_email(raw)
        except ValidationError as exc:
            raise SetupError(_("Enter a valid e-mail address.")) from exc
        return raw
    if not raw or len(raw) > 64 or any(ch in raw for ch in "+#/\x00 "):
        raise SetupError(_("Enter the controller id of a loudspeaker cluster."))
    return raw


def send_test(provider: Any, *, user: User, to: str) -> ChannelTest:
    """Send one message marked TEST through `provider` now, and keep the outcome."""
    from pctt.dispatch.channels.base import Message, ProviderError
    from pctt.dispatch.channels.registry import provider_class

    _require(user, "dispatch.change_channelprovider")
    address = test_recipient(provider.kind, to)
    text = _(
        "[TEST] This is a test message from pctt for the %(channel)s channel. It is not a warning."
    ) % {"channel": provider.name}
    message = Message(
        delivery_id=0,
        idempotency_key=f"test-{uuid.uuid4().hex}",
        channel=provider.channel,
        to=address,
        text=text,
        subject=_("[TEST] pctt channel test"),
        payload={"text": text, "kind": "test"},
        priority="normal",
        status="test",
    )
    adapter = provider_class(provider.kind)(provider.name, provider.options)
    try:
        result = adapter.send(message)
        ok, detail = True, result.provider_message_id
    except ProviderError as exc:
        ok, detail = False, exc.reason
    finally:
        adapter.close()
    test = ChannelTest.objects.create(provider=provider, by=user, ok=ok, detail=detail[:500])
    log_action(
        "pctt.onboarding.test_channel",
        user=user,
        instance=provider,
        data={"ok": ok, "detail": test.detail},
        after=snapshot(test, ("provider", "by", "ok", "detail")),
    )
    return test


@transaction.atomic
def review_templates(state: Onboarding, *, user: User) -> Onboarding:
    """Install the shipped templates that are missing and record that someone read them."""
    from pctt.alerts.defaults import install_default_templates

    _require(user, "alerts.change_warningtemplate")
    old = snapshot(state, STATE_AUDIT)
    installed = install_default_templates()
    state.templates_reviewed_at = timezone.now()
    state.templates_reviewed_by = user
    state.skipped = [key for key in state.skipped if key != "templates"]
    state.save()
    before, after = changes(old, snapshot(state, STATE_AUDIT))
    log_action(
        "pctt.onboarding.review_templates",
        user=user,
        instance=state,
        data={"installed": installed},
        before=before,
        after=after,
    )
    return state


@transaction.atomic
def skip(state: Onboarding, key: str, *, user: User) -> Onboarding:
    """Leave a step for later: the dashboard keeps showing it as missing."""
    _require(user)
    if key not in STEP_KEYS or key == "finish":
        raise SetupError(_("This step cannot be skipped."))
    old = snapshot(state, STATE_AUDIT)
    state.skipped = [*state.skipped, key]
    state.save()
    before, after = changes(old, snapshot(state, STATE_AUDIT))
    log_action(
        "pctt.onboarding.skip",
        user=user,
        instance=state,
        data={"step": key},
        before=before,
        after=after,
    )
    return state


@transaction.atomic
def finish(state: Onboarding, *, user: User) -> Onboarding:
    """Close the wizard; steps still missing stay listed on the dashboard."""
    _require(user)
    _ward(state)
    old = snapshot(state, STATE_AUDIT)
    state.finished_at = timezone.now()
    state.save()
    before, after = changes(old, snapshot(state, STATE_AUDIT))
    log_action("pctt.onboarding.finish", user=user, instance=state, before=before, after=after)
    return state


def ward_choices_role() -> list[tuple[str, str]]:
    """The roles an administrator can give in the wizard, in Vietnamese."""
    return [(str(key), role.group_name) for key, role in ROLES.items()]
