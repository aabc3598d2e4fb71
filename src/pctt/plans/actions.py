"""Every change to activities and reports goes through here: screens, the offline sync API,
the CLI and signal receivers. Each function checks permission (role, then organisation),
writes the audit log and returns the saved row.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pctt.accounts.audit import changes, log_action
from pctt.accounts.models import Membership
from pctt.areas.models import AdminUnit
from pctt.plans.models import (
    PARTICIPANT_GROUPS,
    Activity,
    ActivityKind,
    Clause,
    Organisation,
    Plan,
    Report,
)
from pctt.plans.models.activities import DEFAULT_FORM
from pctt.plans.periods import Period

User = Any  # a user or AnonymousUser; Django's stubs type has_perm on the concrete User

RECORD_PERMISSION = "plans.add_activity"
CHANGE_PERMISSION = "plans.change_activity"
ANY_ORGANISATION_PERMISSION = "plans.record_any_activity"
#: Dates further back than this are refused: a typo in the year, not a late entry.
MAX_DAYS_BACK = 400


@dataclass
class ActivityInput:
    """What a person enters; the same for the form, the offline queue and imports."""

    kind: str
    held_on: date
    group_ids: list[int] = field(default_factory=list)
    theme_codes: list[str] = field(default_factory=list)
    form_code: str = ""
    place: str = ""
    participants: int = 0
    women: int = 0
    ethnic_minority: int = 0
    disabled: int = 0
    elderly: int = 0
    youth: int = 0
    copies: int = 0
    description: str = ""
    material_ids: list[int] = field(default_factory=list)
    client_id: uuid.UUID | None = None


def organisations_of(user: User) -> list[Organisation]:
    """The organisations a user may record activities for."""
    if not user.is_authenticated or not user.has_perm(RECORD_PERMISSION):
        return []
    if user.has_perm(ANY_ORGANISATION_PERMISSION):
        return list(Organisation.objects.all())
    return list(
        Organisation.objects.filter(
            pk__in=Membership.objects.filter(user=user).values("organisation")
        )
    )


def _require_organisation(user: User, organisation: Organisation, permission: str) -> None:
    if not user.is_authenticated or not user.has_perm(permission):
        raise PermissionDenied(_("You may not record activities."))
    if user.has_perm(ANY_ORGANISATION_PERMISSION):
        return
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        raise PermissionDenied(_("You may record activities only for your own organisation."))


def _current_plan() -> Plan:
    plan = Plan.current()
    if plan is None:
        raise ValidationError(_("No current plan: load or mark the ward's plan first."))
    return plan


def _validated(data: ActivityInput, plan: Plan, ward: AdminUnit) -> dict[str, Any]:
    """Check everything before anything is written; all problems are reported at once."""
    errors: dict[str, list[str]] = {}
    if data.kind not in ActivityKind.values:
        errors.setdefault("kind", []).append(_("Unknown kind of activity."))
    today = timezone.localdate()
    if data.held_on > today:
        errors.setdefault("held_on", []).append(_("The date is in the future."))
    elif (today - data.held_on).days > MAX_DAYS_BACK:
        errors.setdefault("held_on", []).append(_("The date is more than a year ago."))
    for name in ("participants", "copies", *PARTICIPANT_GROUPS):
        if getattr(data, name) < 0:
            errors.setdefault(name, []).append(_("A count cannot be negative."))
    for name in PARTICIPANT_GROUPS:
        if getattr(data, name) > data.participants:
            errors.setdefault(name, []).append(_("A group cannot be larger than the total."))
    groups = list(
        AdminUnit.objects.groups().filter(parent=ward, pk__in=data.group_ids).order_by("code")
    )
    if len(groups) != len(set(data.group_ids)):
        errors.setdefault("groups", []).append(_("Unknown residential group."))
    clauses = {c.code: c for c in plan.clauses.filter(kind__in=["theme", "form"])}
    themes = [clauses[c] for c in data.theme_codes if c in clauses and c.startswith("C")]
    if len(themes) != len(set(data.theme_codes)):
        errors.setdefault("themes", []).append(_("Unknown theme."))
    form_code = data.form_code or DEFAULT_FORM.get(data.kind, "")
    form = clauses.get(form_code) if form_code.startswith("F") else None
    if form_code and form is None:
        errors.setdefault("form", []).append(_("Unknown form."))
    materials = list(material_choices().filter(pk__in=data.material_ids))
    if len(materials) != len(set(data.material_ids)):
        errors.setdefault("materials", []).append(_("Unknown library page."))
    if errors:
        raise ValidationError(errors)
    return {"groups": groups, "themes": themes, "form": form, "materials": materials}


def material_choices() -> Any:
    """The pages an activity may name as materials: live pages of the preparedness library."""
    from wagtail.models import Page

    from pctt.library.models.base import LibraryPage

    return Page.objects.live().type(LibraryPage).order_by("title")


def _audit_data(activity: Activity) -> dict[str, Any]:
    # Counts and codes only: activities hold no personal data, and the log need not either.
    return {
        "organisation": activity.organisation_id,
        "kind": activity.kind,
        "held_on": activity.held_on.isoformat(),
        "participants": activity.participants,
        "households": activity.households,
        "source": activity.source,
    }


@transaction.atomic
def record_activity(
    *, user: User, organisation: Organisation, data: ActivityInput
) -> tuple[Activity, bool]:
    """Save one activity. Returns (activity, created): an upload replayed with the same
    client id returns the activity already saved instead of a second copy."""
    _require_organisation(user, organisation, RECORD_PERMISSION)
    if data.client_id is not None:
        existing = Activity.objects.filter(client_id=data.client_id).first()
        if existing is not None:
            if existing.organisation_id != organisation.pk:
                raise ValidationError(_("This entry was already recorded for another body."))
            return existing, False
    plan = _current_plan()
    related = _validated(data, plan, organisation.ward)
    activity = Activity(
        plan=plan,
        organisation=organisation,
        kind=data.kind,
        held_on=data.held_on,
        place=data.place.strip()[:200],
        form=related["form"],
        participants=data.participants,
        women=data.women,
        ethnic_minority=data.ethnic_minority,
        disabled=data.disabled,
        elderly=data.elderly,
        youth=data.youth,
        copies=data.copies,
        description=data.description.strip(),
        client_id=data.client_id,
        recorded_by=user if user.is_authenticated else None,
    )
    try:
        with transaction.atomic():
            activity.save()
    except IntegrityError:
        # Two uploads of the same entry raced each other: the other one won.
        return Activity.objects.get(client_id=data.client_id), False
    activity.groups.set(related["groups"])
    activity.themes.set(related["themes"])
    activity.materials.set(related["materials"])
    log_action(
        "pctt.plans.record_activity", user=user, instance=activity, data=_audit_data(activity)
    )
    return activity, True


def may_edit(user: User, activity: Activity) -> bool:
    """The object-level rule of `edit_activity`, for screens that show or hide the button."""
    try:
        _require_editable(user, activity)
    except (PermissionDenied, ValidationError):
        return False
    return True


def _require_editable(user: User, activity: Activity) -> None:
    if not user.is_authenticated or not user.has_perm(CHANGE_PERMISSION):
        raise PermissionDenied(_("You may not change activities."))
    if not user.has_perm(ANY_ORGANISATION_PERMISSION) and not (
        Membership.objects.filter(user=user, organisation_id=activity.organisation_id).exists()
    ):
        raise PermissionDenied(_("You may change activities only of your own organisation."))
    if activity.source != Activity.Source.MANUAL:
        raise ValidationError(_("Activities recorded by the system cannot be changed."))


@transaction.atomic
def edit_activity(*, user: User, activity: Activity, data: ActivityInput) -> Activity:
    """Correct an activity entered by a person: a focal point only their own organisation's,
    an administrator any; viewers none. The organisation and the phone's entry id stay."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _require_editable(user, activity)
    related = _validated(data, activity.plan, activity.organisation.ward)
    before = _audit_data(activity)
    for name in ("kind", "held_on", "participants", "copies", *PARTICIPANT_GROUPS):
        setattr(activity, name, getattr(data, name))
    activity.place = data.place.strip()[:200]
    activity.description = data.description.strip()
    activity.form = related["form"]
    activity.save()
    activity.groups.set(related["groups"])
    activity.themes.set(related["themes"])
    activity.materials.set(related["materials"])
    after = _audit_data(activity)
    old, new = changes(before, after)
    log_action(
        "pctt.plans.edit_activity",
        user=user,
        instance=activity,
        data=after,
        before=old,
        after=new,
    )
    return activity


#: Evidence photos per activity: enough to show a meeting happened, not an album.
MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 8 * 1024 * 1024  # as residents' photos (pctt.community.photos.MAX_BYTES)


@transaction.atomic
def add_activity_photo(
    *, user: User, activity: Activity, data: bytes, client_id: uuid.UUID | None = None
) -> tuple[Any, bool]:
    """An evidence photo, re-encoded as the residents' photos are (no EXIF, no location, no
    appended bytes), stored as a Wagtail image in the "activity photos" collection.

    Returns (image, created). `client_id` is the phone's id for the photo: an upload replayed
    after a lost answer returns the photo already stored instead of a second copy."""
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    from pctt.community import photos
    from pctt.community.forms import PHOTO_ERRORS

    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _require_editable(user, activity)
    stem = f"hoat-dong-{activity.pk}-{(client_id or uuid.uuid4()).hex}"
    if client_id is not None:
        already = activity.photos.filter(file__contains=stem).first()
        if already is not None:
            return already, False
    if activity.photos.count() >= MAX_PHOTOS:
        raise ValidationError(_("At most %(n)s photos per activity.") % {"n": MAX_PHOTOS})
    try:
        clean = photos.clean(data, keep_location=False)
    except photos.PhotoError as exc:
        raise ValidationError(PHOTO_ERRORS.get(exc.code, PHOTO_ERRORS["unreadable"])) from exc
    image_model = get_image_model()
    image = image_model(
        title=f"{activity.held_on:%d/%m/%Y} {activity.get_kind_display()}"[:255],
        collection=_photo_collection(),
        uploaded_by_user=user,
    )
    image.file = ImageFile(io.BytesIO(clean.jpeg), name=f"{stem}.jpg")
    image.save()
    activity.photos.add(image)
    log_action(
        "pctt.plans.add_photo",
        user=user,
        instance=activity,
        data={"image": image.pk, "bytes": len(clean.jpeg)},
    )
    return image, True


def _photo_collection() -> Any:
    from wagtail.models import Collection

    name = "Ảnh hoạt động"
    existing = Collection.objects.filter(name=name).first()
    if existing is not None:
        return existing
    return Collection.get_first_root_node().add_child(name=name)


@transaction.atomic
def delete_activity(*, user: User, activity: Activity) -> None:
    _require_organisation(user, activity.organisation, "plans.delete_activity")
    if activity.source != Activity.Source.MANUAL:
        raise ValidationError(_("Activities recorded by the system cannot be deleted."))
    log_action(
        "pctt.plans.delete_activity", user=user, instance=activity, data=_audit_data(activity)
    )
    activity.delete()


@dataclass
class AutomaticActivity:
    """Something the system did itself that counts as an activity of the plan.

    `source` is one of `Activity.Source` except "manual" ("warning", "publication",
    "broadcast"); `kind` one of `ActivityKind`; `organisation_kind` one of
    `Organisation.Kind` (the ward's body the activity is credited to). `participants` are
    people (for warnings and broadcasts an estimate: the residents targeted, with
    `reach_is_estimate`); `households` are households reached (loudspeaker programmes), kept
    apart from people so neither total is overstated.
    """

    source: str
    source_key: str
    kind: str
    held_on: date
    organisation_kind: str
    description: str
    participants: int = 0
    households: int = 0
    reach_is_estimate: bool = True
    group_ids: list[int] = field(default_factory=list)
    theme_codes: list[str] = field(default_factory=list)
    form_code: str = ""

    def problems(self) -> list[str]:
        found = []
        if self.source not in Activity.Source.values or self.source == Activity.Source.MANUAL:
            found.append(f"source {self.source!r}")
        if self.kind not in ActivityKind.values:
            found.append(f"kind {self.kind!r}")
        if self.organisation_kind not in Organisation.Kind.values:
            found.append(f"organisation_kind {self.organisation_kind!r}")
        if not self.source_key or len(self.source_key) > 100:
            found.append("source_key must be 1-100 characters")
        if self.participants < 0 or self.households < 0:
            found.append("counts cannot be negative")
        return found


@transaction.atomic
def record_automatic_activity(event: AutomaticActivity) -> Activity | None:
    """The system records what it did itself (a warning sent, a page published, a
    loudspeaker programme played).

    Idempotent by `source_key`; does nothing (returns None) when there is no current plan or no
    organisation of the kind responsible, so a fresh installation can still send warnings.
    Raises ValueError for an event that names an unknown source, kind or organisation kind
    (a programming error in the caller, not bad data from a person)."""
    problems = event.problems()
    if problems:
        raise ValueError("automatic activity: " + "; ".join(problems))
    existing = Activity.objects.filter(source_key=event.source_key).first()
    if existing is not None:
        return existing
    plan = Plan.current()
    if plan is None or plan.ward_id is None:
        return None
    organisation = Organisation.objects.filter(
        ward_id=plan.ward_id, kind=event.organisation_kind
    ).first()
    if organisation is None:
        return None
    codes = [event.form_code or DEFAULT_FORM.get(event.kind, ""), *event.theme_codes]
    clauses = {c.code: c for c in plan.clauses.filter(code__in=codes)}
    activity = Activity.objects.create(
        plan=plan,
        organisation=organisation,
        kind=event.kind,
        held_on=event.held_on,
        form=clauses.get(codes[0]),
        participants=event.participants,
        households=event.households,
        reach_is_estimate=event.reach_is_estimate,
        description=event.description,
        source=event.source,
        source_key=event.source_key,
    )
    activity.groups.set(AdminUnit.objects.filter(pk__in=event.group_ids))
    activity.themes.set([clauses[c] for c in event.theme_codes if c in clauses])
    log_action(
        "pctt.plans.record_activity", user=None, instance=activity, data=_audit_data(activity)
    )
    return activity


def theme_choices(plan: Plan) -> list[Clause]:
    return list(plan.clauses.filter(kind=Clause.Kind.THEME).order_by("position"))


REPORT_PERMISSION = "plans.add_report"
#: Only these bodies report upward under the plan (the Party Building Board for the Party
#: committee, the People's Committee in the State layout).
REPORTING_KINDS = (Organisation.Kind.PARTY_BUILDING_BOARD, Organisation.Kind.PEOPLES_COMMITTEE)
PARTY_RECIPIENTS = [
    "Thường trực Tỉnh ủy (để b/c),",
    "Ban Tuyên giáo và Dân vận Tỉnh ủy (để b/c),",
    "Lưu Văn phòng Đảng ủy.",
]
STATE_RECIPIENTS = ["UBND tỉnh (để b/c);", "Thường trực Đảng ủy phường (để b/c);", "Lưu: VT."]


def _require_report(user: User, organisation: Organisation, permission: str) -> None:
    if organisation.kind not in REPORTING_KINDS:
        raise ValidationError(_("Only the Party Building Board or the People's Committee reports."))
    _require_organisation(user, organisation, permission)


@transaction.atomic
def create_report(
    *,
    user: User,
    organisation: Organisation,
    period: Period,
    dated: date | None = None,
) -> Report:
    """Compute the figures of a period and open a report with a drafted narrative."""
    from django.utils import translation

    from pctt.plans import report_figures, reporting

    _require_report(user, organisation, REPORT_PERMISSION)
    plan = _current_plan()
    dated = dated or timezone.localdate()
    header = reporting.default_header(organisation)
    with translation.override("vi"):
        figures = report_figures.compute(plan, period, dated)
    last = (
        Report.objects.filter(organisation=organisation, dated__year=dated.year)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    layout = header.pop("layout")
    report = Report.objects.create(
        plan=plan,
        organisation=organisation,
        period=period.kind,
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        layout=layout,
        number=(last or 0) + 1,
        dated=dated,
        title=f"kết quả tuyên truyền thực hiện {plan} {period.label_vi()}",
        narrative=reporting.default_narrative(figures, f"{plan}"),
        figures=figures,
        recipients=PARTY_RECIPIENTS if layout == Report.Layout.PARTY else STATE_RECIPIENTS,
        signature_name=plan.signature_name if layout == Report.Layout.PARTY else "",
        created_by=user if user.is_authenticated else None,
        **header,
    )
    log_action(
        "pctt.plans.create_report",
        user=user,
        instance=report,
        data={"period": period.label_vi(), "number": report.number_symbol},
    )
    return report


#: How long one narrative section may be: a report is a few pages, not a book.
MAX_NARRATIVE_CHARS = 20_000


@transaction.atomic
def edit_report(
    *, user: User, report: Report, narrative: dict[str, str], recipients: list[str], signer: str
) -> Report:
    """People edit the narrative, the recipients and the signer; the figures stay frozen."""
    from pctt.plans.reporting import NARRATIVE

    _require_report(user, report.organisation, "plans.change_report")
    keys = {key for key, _heading in NARRATIVE}
    unknown = set(narrative) - keys
    if unknown:
        raise ValidationError(
            _("Unknown section: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    too_long = [k for k, v in narrative.items() if len(v) > MAX_NARRATIVE_CHARS]
    if too_long:
        raise ValidationError(_("A section is too long (at most 20,000 characters)."))
    report.narrative = {**report.narrative, **{k: v.strip() for k, v in narrative.items()}}
    report.recipients = [r.strip() for r in recipients if r.strip()][:30]
    report.signature_name = signer.strip()[:100]
    report.save(update_fields=["narrative", "recipients", "signature_name"])
    log_action(
        "pctt.plans.edit_report", user=user, instance=report, data={"sections": sorted(narrative)}
    )
    return report
