"""Every change of state of a warning goes through here: back office, API, CLI and tasks.

The rule that matters most: an Actual warning is never issued by one person. The author
submits; someone else holding the approver permission approves, which issues it.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from pctt import cap
from pctt.accounts.audit import changes, log_action
from pctt.alerts import cap_message, rendering, signals
from pctt.alerts.models import Alert, UpstreamAlert, WarningTemplate
from pctt.areas.models import WardSetting

User = Any  # an authenticated user or AnonymousUser; Django's stubs type has_perm on User

DRAFT_PERMISSION = "alerts.add_alert"
APPROVE_PERMISSION = "alerts.approve_alert"

#: Fields an author may change while a warning is a draft.
EDITABLE = (
    "status",
    "hazard",
    "category",
    "response_type",
    "urgency",
    "severity",
    "certainty",
    "risk_level",
    "loudspeaker_priority",
    "event_vi",
    "event_en",
    "headline_vi",
    "headline_en",
    "description_vi",
    "description_en",
    "instruction_vi",
    "instruction_en",
    "sms_vi",
    "loudspeaker_vi",
    "effective",
    "onset",
    "expires",
    "drawn_area",
    "note",
)
CONTENT = (*EDITABLE, "identifier", "sender", "sent", "msg_type")


class ApprovalError(PermissionDenied):
    """The two-person rule or the approval permission refused this."""


def _require(user: User, permission: str) -> None:
    if not user.is_authenticated or not user.has_perm(permission):
        raise PermissionDenied(permission)


def _snapshot(alert: Alert) -> dict[str, Any]:
    """The exact content, for the audit log."""
    data = {name: getattr(alert, name) for name in CONTENT}
    for key, value in data.items():
        if hasattr(value, "isoformat"):
            data[key] = value.isoformat()
    data["areas"] = sorted(alert.areas.values_list("code", flat=True)) if alert.pk else []
    data["zones"] = sorted(alert.zones.values_list("code", flat=True)) if alert.pk else []
    return data


def cap_sender() -> str:
    setting = WardSetting.load()
    if setting.cap_sender:
        return setting.cap_sender
    return f"pctt:{setting.ward.code}" if setting.ward else "pctt"


def _new_identifier(sender: str) -> str:
    # CAP identifiers: no spaces, commas or '<&'; unique per sender.
    safe = "".join(ch if ch.isalnum() or ch in ".-_:@" else "-" for ch in sender)
    return f"{safe}.{uuid.uuid4().hex}"


class _Placeholders(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(text: str, values: dict[str, str]) -> str:
    """Fill {placeholders}; ones without a value stay visible so the author sees them."""
    return text.format_map(_Placeholders(values))


@transaction.atomic
def create_draft(
    *,
    user: User | None,
    template: WarningTemplate | None = None,
    values: dict[str, str] | None = None,
    area_ids: list[int] | None = None,
    zone_ids: list[int] | None = None,
    **fields: Any,
) -> Alert:
    """A new draft, from a template (placeholders filled from `values`) or from scratch.

    `user=None` is the system proposing a draft (e.g. a gauge crossing an alarm level): it is
    only a draft; a person must submit it and another person approve it.
    """
    if user is not None:
        _require(user, DRAFT_PERMISSION)
    values = values or {}
    initial: dict[str, Any] = {}
    if template is not None:
        for name in WarningTemplate.TEXT_FIELDS:
            initial[name] = fill(getattr(template, name), values)
        for name in (
            "hazard",
            "category",
            "response_type",
            "urgency",
            "severity",
            "certainty",
            "loudspeaker_priority",
        ):
            initial[name] = getattr(template, name)
        initial["expires"] = timezone.now() + timedelta(hours=template.expires_hours)
    initial.update(fields)
    sender = cap_sender()
    alert = Alert(
        identifier=_new_identifier(sender),
        sender=sender,
        author=user,  # type: ignore[misc]
        template=template,
        **initial,
    )
    alert.full_clean(exclude=["author", "expires"] if "expires" not in initial else ["author"])
    alert.save()
    if area_ids:
        alert.areas.set(area_ids)
    if zone_ids:
        alert.zones.set(zone_ids)
    log_action("pctt.alerts.draft", user=user, instance=alert, data=_snapshot(alert))
    return alert


@transaction.atomic
def edit_draft(
    alert: Alert,
    *,
    user: User,
    area_ids: list[int] | None = None,
    zone_ids: list[int] | None = None,
    **fields: Any,
) -> Alert:
    _require(user, DRAFT_PERMISSION)
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.state not in (Alert.State.DRAFT, Alert.State.REJECTED):
        raise ValidationError(_("Only a draft can be edited."))
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"not editable: {sorted(unknown)}")
    before = _snapshot(alert)
    for name, value in fields.items():
        setattr(alert, name, value)
    alert.state = Alert.State.DRAFT
    alert.full_clean(exclude=["author"])
    alert.save()
    if area_ids is not None:
        alert.areas.set(area_ids)
    if zone_ids is not None:
        alert.zones.set(zone_ids)
    after = _snapshot(alert)
    old, new = changes(before, after)
    log_action("pctt.alerts.edit", user=user, instance=alert, data=after, before=old, after=new)
    return alert


def problems(alert: Alert) -> list[str]:
    """What stops a draft from being submitted; empty when it is ready."""
    found = []
    if not (
        alert.areas.exists()
        or alert.zones.exists()
        or alert.drawn_area
        or alert.msg_type == Alert.MsgType.CANCEL
    ):
        found.append(_("Choose at least one area."))
    for name in ("headline_vi", "description_vi", "instruction_vi", "sms_vi", "loudspeaker_vi"):
        text = getattr(alert, name)
        if "{" in text and "}" in text:
            found.append(
                _("Fill in every placeholder in curly brackets: %(field)s")
                % {"field": Alert._meta.get_field(name).verbose_name}  # type: ignore[union-attr]
            )
    if alert.expires <= timezone.now():
        found.append(_("The expiry time is in the past."))
    if alert.effective and alert.expires <= alert.effective:
        found.append(_("The warning must expire after it takes effect."))
    return found


@transaction.atomic
def submit(alert: Alert, *, user: User) -> Alert:
    """Ask for approval. The author may be anyone who can draft."""
    _require(user, DRAFT_PERMISSION)
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.state != Alert.State.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    found = problems(alert)
    if found:
        raise ValidationError(found)
    alert.state = Alert.State.SUBMITTED
    alert.submitted_at = timezone.now()
    alert.submitted_by = user
    alert.save(update_fields=["state", "submitted_at", "submitted_by"])
    log_action("pctt.alerts.submit", user=user, instance=alert, data=_snapshot(alert))
    return alert


@transaction.atomic
def reject(alert: Alert, *, user: User, reason: str) -> Alert:
    _require(user, APPROVE_PERMISSION)
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.state != Alert.State.SUBMITTED:
        raise ValidationError(_("Only a submitted warning can be rejected."))
    alert.state = Alert.State.REJECTED
    alert.rejection_reason = reason
    alert.decided_at = timezone.now()
    alert.save(update_fields=["state", "rejection_reason", "decided_at"])
    log_action("pctt.alerts.reject", user=user, instance=alert, data={"reason": reason})
    return alert


@transaction.atomic
def approve(alert: Alert, *, user: User) -> Alert:
    """The second person approves: the warning is issued, written as CAP and sent out."""
    _require(user, APPROVE_PERMISSION)
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.state != Alert.State.SUBMITTED:
        raise ValidationError(_("Only a submitted warning can be approved."))
    if user.pk in (alert.author_id, alert.submitted_by_id):
        raise ApprovalError(_("The author of a warning cannot approve it: a second person must."))
    if alert.references_id is not None:
        previous = Alert.objects.select_for_update().get(pk=alert.references_id)
        if Alert.objects.filter(references=previous, state=Alert.State.ISSUED).exists():
            raise ValidationError(_("This warning was already updated or cancelled."))
    alert.state = Alert.State.ISSUED
    alert.approver = user  # type: ignore[assignment]
    alert.decided_at = alert.sent = timezone.now().replace(microsecond=0)
    data = cap_message.xml(alert)
    report = cap.validate(data)
    if not report.valid:
        raise ValidationError([f"{i.rule}: {i.message_en}" for i in report.errors])
    alert.cap_xml = data.decode()
    alert.save()
    log_action("pctt.alerts.issue", user=user, instance=alert, data=_snapshot(alert))
    _send(alert, user=user)
    # Listeners (the portal's snapshots) run in this same call, once the change is committed.
    transaction.on_commit(lambda: signals.warning_issued.send(sender=Alert, alert=alert))
    return alert


def _send(alert: Alert, *, user: User) -> None:
    """Stop what older versions still have queued, then send this one to the same audience."""
    from pctt.dispatch.actions import create_broadcast, withdraw_broadcasts

    withdraw_broadcasts(reference_prefix=alert.thread_reference_prefix, user=user)
    create_broadcast(
        reference=alert.dispatch_reference,
        status=alert.status.lower(),
        priority=alert.loudspeaker_priority,
        area_ids=list(alert.areas.values_list("pk", flat=True)),
        geometry=target_geometry(alert),
        content=rendering.channel_content(alert),
        user=user,
    )


def target_geometry(alert: Alert) -> dict[str, Any] | None:
    """Hazard zones and the drawn area as one geometry; residential groups go by id."""
    shapes = [s for zone in alert.zones.all() if (s := zone.shape()) is not None]
    if alert.drawn_area:
        shapes.append(shape(alert.drawn_area))
    return mapping(unary_union(shapes)) if shapes else None


def _follow_up(alert: Alert, *, user: User, msg_type: str) -> Alert:
    _require(user, DRAFT_PERMISSION)
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.state != Alert.State.ISSUED:
        raise ValidationError(_("Only an issued warning can be updated or cancelled."))
    if alert.replaced_by.filter(state=Alert.State.ISSUED).exists():
        raise ValidationError(_("This warning was already updated or cancelled."))
    sender = cap_sender()
    follow = Alert(
        identifier=_new_identifier(sender),
        sender=sender,
        author=user,  # type: ignore[misc]
        msg_type=msg_type,
        thread=alert.root,
        references=alert,
        template=alert.template,
        upstream=alert.upstream,
        **{name: getattr(alert, name) for name in EDITABLE},
    )
    if msg_type == Alert.MsgType.CANCEL:
        follow.headline_vi = f"Huỷ cảnh báo: {alert.headline_vi}"
        follow.sms_vi = (
            f"Huỷ cảnh báo: {alert.headline_vi}. Tin cảnh báo trước đây không còn hiệu lực."
        )
        follow.loudspeaker_vi = f"Cảnh báo {alert.headline_vi} đã được huỷ."
        follow.response_type = "AllClear"
        follow.expires = max(alert.expires, timezone.now() + timedelta(hours=1))
    follow.save()
    follow.areas.set(alert.areas.all())
    follow.zones.set(alert.zones.all())
    log_action(
        f"pctt.alerts.draft_{msg_type.lower()}",
        user=user,
        instance=follow,
        data={"references": alert.identifier},
    )
    return follow


@transaction.atomic
def start_update(alert: Alert, *, user: User) -> Alert:
    """A draft Update carrying the issued warning's content, to edit and submit."""
    return _follow_up(alert, user=user, msg_type=Alert.MsgType.UPDATE)


@transaction.atomic
def start_cancel(alert: Alert, *, user: User) -> Alert:
    """A draft Cancel; once approved it withdraws the warning everywhere."""
    return _follow_up(alert, user=user, msg_type=Alert.MsgType.CANCEL)


@transaction.atomic
def draft_from_upstream(upstream: UpstreamAlert, *, user: User) -> Alert:
    """Relay an upstream warning to our residents: a prefilled draft that references it."""
    parsed = cap.parse(upstream.xml.encode()).alerts[0]
    info = next(
        (i for i in parsed.infos if (i.language or "").startswith("vi")),
        parsed.infos[0] if parsed.infos else None,
    )
    ward = WardSetting.load().ward
    groups = list(ward.children.values_list("pk", flat=True)) if ward else []
    expires = (info.expires if info and info.expires else None) or (
        timezone.now() + timedelta(hours=24)
    )
    headline = (info.headline or info.event) if info else upstream.headline
    return create_draft(
        user=user,
        hazard="other",
        event_vi=(info.event if info else upstream.event)[:200],
        headline_vi=headline[:300],
        description_vi=(info.description or headline) if info else headline,
        instruction_vi=(info.instruction or "") if info else "",
        sms_vi=headline[:300],
        urgency=(info.urgency if info else "Unknown"),
        severity=(info.severity if info else "Unknown"),
        certainty=(info.certainty if info else "Unknown"),
        expires=expires,
        upstream=upstream,
        note=f"Chuyển tiếp cảnh báo của {upstream.sender} ({upstream.identifier})",
        area_ids=groups,
    )
