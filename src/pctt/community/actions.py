"""Every change of state in residents' voice goes through here: portal, SMS, messaging app,
back office, commands and tasks. Actions check permission, write the audit log (never a
contact in clear, never a submission's text) and queue work after commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from pctt.accounts.audit import log_action
from pctt.community import deadlines
from pctt.community.models import (
    OPEN_STATUSES,
    AnswerChannel,
    Claim,
    ClaimVariant,
    Kind,
    Source,
    Status,
    Submission,
    Theme,
    Verdict,
)
from pctt.community.models.submissions import LINK_MAX, TEXT_MAX
from pctt.core import phone as phones
from pctt.core import similarity
from pctt.core.text import fold

User = Any  # an authenticated user, AnonymousUser, or None for the resident/system

TRIAGE = "community.triage_submission"
VIEW = "community.view_submission"
EDIT_CLAIM = "community.change_claim"
PUBLISH = "community.publish_claim"
DRAFT_WARNING = "alerts.add_alert"
SEE_ALL = "community.see_all_submission"
TAKE_NEW = "community.take_new_submission"

#: A contact left for an answer is erased this long after it was received if never answered,
CONTACT_RETENTION = timedelta(days=90)
#: and this long after the answer went out (time for one follow-up question).
CONTACT_AFTER_ANSWER = timedelta(days=30)
#: Only recent open submissions are compared when grouping (bounded cost during a surge).
GROUPING_WINDOW = timedelta(days=14)
GROUPING_CANDIDATES = 400


def _require(user: User, permission: str) -> None:
    if user is None or not user.is_authenticated or not user.has_perm(permission):
        raise PermissionDenied(permission)


def _organisation_ids(user: User) -> list[int]:
    from pctt.accounts.models import Membership

    return list(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))


def visible_submissions(user: User) -> Any:
    """The submissions this official may see and work on (object-level rule).

    Ward-wide roles see all; a triage officer the new, unassigned ones and those assigned to
    them or their organisation; a focal point only those assigned to their organisation or
    to them. Everything else is out of their queue, their detail page and their actions."""
    if user is None or not user.is_authenticated or not user.has_perm(VIEW):
        return Submission.objects.none()
    if user.has_perm(SEE_ALL):
        return Submission.objects.all()
    mine = Q(assigned_user=user) | Q(assigned_organisation__in=_organisation_ids(user))
    if user.has_perm(TAKE_NEW):
        mine |= Q(assigned_organisation__isnull=True, assigned_user__isnull=True)
    return Submission.objects.filter(mine)


def _require_visible(user: User, ids: Iterable[int]) -> None:
    wanted = set(ids)
    seen = set(visible_submissions(user).filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - seen:
        raise PermissionDenied(_("Some of these submissions are not in your queue."))


def assignable_organisations(user: User) -> Any:
    """Where this official may send a submission: anywhere for those who dispatch the ward's
    queue, otherwise only among their own organisations."""
    from pctt.plans.models import Organisation

    if user.has_perm(SEE_ALL) or user.has_perm(TAKE_NEW):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=_organisation_ids(user))


@dataclass(frozen=True)
class Intake:
    """One submission as received, before it is stored. Photos arrive already cleaned."""

    kind: str
    source: str
    text: str
    link: str = ""
    residential_group_id: int | None = None
    place: str = ""
    lon: float | None = None
    lat: float | None = None
    photo_jpeg: bytes | None = None
    answer_channel: str = ""
    contact: str = ""
    consent: bool = False


def normalise_contact(channel: str, contact: str) -> str:
    """The contact in its stored form; ValidationError when it does not fit the channel."""
    contact = contact.strip()
    if channel == AnswerChannel.SMS:
        try:
            return phones.normalise(contact)
        except phones.PhoneError as exc:
            raise ValidationError(
                _("Enter a Vietnamese mobile number, e.g. 0912 345 678.")
            ) from exc
    if channel == AnswerChannel.EMAIL:
        if len(contact) > 254:
            raise ValidationError(_("Enter a valid e-mail address."))
        validate_email(contact)
        return contact
    if channel == AnswerChannel.APP:
        if not contact or len(contact) > 64 or not contact.isprintable():
            raise ValidationError(
                _("Enter the messaging-app id the resident gave: one line, 64 characters at most.")
            )
        return contact
    raise ValidationError(_("Choose how to send the answer: SMS, e-mail or messaging app."))


def _check(intake: Intake) -> None:
    if intake.kind not in Kind.values:
        raise ValidationError(_("Unknown kind of submission."))
    if intake.source not in Source.values:
        raise ValidationError(_("Unknown source."))
    if not intake.text.strip():
        raise ValidationError(_("Write a few words."))
    if len(intake.text) > TEXT_MAX or len(intake.link) > LINK_MAX or len(intake.place) > 200:
        raise ValidationError(_("The text is too long."))
    if intake.link:
        try:
            URLValidator(schemes=["http", "https"])(intake.link.strip())
        except ValidationError as exc:
            raise ValidationError(
                _("Enter a web address starting with http:// or https://.")
            ) from exc
    if intake.answer_channel and not intake.consent:
        raise ValidationError(_("To get an answer, agree that we keep your contact."))


def _group_leader(kind: str, text: str, now: Any) -> Submission | None:
    candidates = (
        Submission.objects.open()
        .leaders()
        .filter(kind=kind, received_at__gte=now - GROUPING_WINDOW)
        .order_by("-received_at")
        .values_list("pk", "text")[:GROUPING_CANDIDATES]
    )
    match = similarity.best_match(text, list(candidates))
    return Submission.objects.get(pk=match[0]) if match else None


def _warning_active() -> bool:
    from pctt.alerts.models import Alert

    return Alert.objects.active().exists()


def receive(intake: Intake, *, user: User = None) -> Submission:
    """Store a submission from any intake path; groups it with similar open ones."""
    _check(intake)
    if intake.source in (Source.PHONE_CALL, Source.MEETING):
        _require(user, TRIAGE)
    contact = ""
    if intake.answer_channel:
        contact = normalise_contact(intake.answer_channel, intake.contact)
    now = timezone.now()
    urgent = deadlines.is_urgent(intake.kind, warning_active=_warning_active())
    text = intake.text.strip()
    with transaction.atomic():
        leader = _group_leader(intake.kind, text, now)
        submission = Submission(
            kind=intake.kind,
            source=intake.source,
            text=text,
            link=intake.link.strip(),
            residential_group_id=intake.residential_group_id,
            place=intake.place.strip(),
            lon=intake.lon,
            lat=intake.lat,
            urgent=urgent,
            due_at=deadlines.due_at(intake.kind, now, urgent=urgent),
            group_leader=leader,
            answer_channel=intake.answer_channel if contact else "",
            contact=contact,
            contact_consent_at=now if contact else None,
            contact_erase_after=now + CONTACT_RETENTION if contact else None,
            received_at=now,
        )
        if intake.photo_jpeg:
            submission.photo.save(
                f"{submission.reference}.jpg", ContentFile(intake.photo_jpeg), save=False
            )
        submission.save()
        if leader is not None and urgent and not leader.urgent:
            # The group is now urgent: the earliest due time leads the queue.
            Submission.objects.filter(pk=leader.pk).update(
                urgent=True, due_at=min(leader.due_at, submission.due_at)
            )
        log_action(
            "community.submission.receive",
            user=user,
            instance=submission,
            data={
                "kind": submission.kind,
                "source": submission.source,
                "grouped_with": leader.pk if leader else None,
                "with_contact": bool(contact),
            },
        )
    return submission


def _members(submissions: Iterable[Submission]) -> list[int]:
    """The ids of these submissions and everything grouped under them."""
    ids = {s.pk for s in submissions}
    ids |= set(Submission.objects.filter(group_leader_id__in=ids).values_list("pk", flat=True))
    return sorted(ids)


def assign(
    submissions: Iterable[Submission],
    *,
    user: User,
    organisation_id: int | None = None,
    assignee_id: int | None = None,
) -> int:
    _require(user, TRIAGE)
    ids = _members(submissions)
    _require_visible(user, ids)
    if (
        organisation_id is not None
        and not assignable_organisations(user).filter(pk=organisation_id).exists()
    ):
        raise PermissionDenied(_("You may assign only to your own organisation."))
    if assignee_id is not None and assignee_id != user.pk:
        from pctt.accounts.models import Membership

        target = [organisation_id] if organisation_id is not None else _organisation_ids(user)
        if not Membership.objects.filter(user_id=assignee_id, organisation__in=target).exists():
            raise PermissionDenied(_("Assign only to a member of the organisation."))
    with transaction.atomic():
        count = Submission.objects.filter(pk__in=ids).update(
            assigned_organisation_id=organisation_id,
            assigned_user_id=assignee_id,
            status=Status.IN_PROGRESS,
        )
        log_action(
            "community.submission.assign",
            user=user,
            data={"ids": ids, "organisation": organisation_id, "assignee": assignee_id},
        )
    return count


def set_status(submissions: Iterable[Submission], status: str, *, user: User) -> int:
    _require(user, TRIAGE)
    if status not in Status.values or status == Status.ANSWERED:
        raise ValidationError(_("Use the answer form to answer."))
    ids = _members(submissions)
    _require_visible(user, ids)
    with transaction.atomic():
        count = Submission.objects.filter(pk__in=ids).update(status=status)
        log_action("community.submission.status", user=user, data={"ids": ids, "status": status})
    return count


def set_theme(submissions: Iterable[Submission], theme: str, *, user: User) -> int:
    _require(user, TRIAGE)
    if theme not in Theme.values:
        raise ValidationError(_("Unknown theme."))
    ids = _members(submissions)
    _require_visible(user, ids)
    with transaction.atomic():
        count = Submission.objects.filter(pk__in=ids).update(theme=theme)
        log_action("community.submission.theme", user=user, data={"ids": ids, "theme": theme})
    return count


def merge(submissions: Iterable[Submission], *, into: Submission, user: User) -> int:
    """Group these submissions (and their groups) under *into*."""
    _require(user, TRIAGE)
    leader = into.group_leader or into
    ids = [pk for pk in _members(submissions) if pk != leader.pk]
    _require_visible(user, [*ids, leader.pk])
    with transaction.atomic():
        count = Submission.objects.filter(pk__in=ids).update(group_leader=leader)
        log_action("community.submission.merge", user=user, instance=leader, data={"ids": ids})
    return count


def answer(submission: Submission, text: str, *, user: User) -> int:
    """Answer a submission and everything grouped with it; each resident who left a contact
    gets the answer on the channel they chose (after commit). Returns how many were closed."""
    _require(user, TRIAGE)
    text = text.strip()
    if not text or len(text) > TEXT_MAX:
        raise ValidationError(
            _("Write an answer of at most %(max)s characters.") % {"max": TEXT_MAX}
        )
    from pctt.community.tasks import send_answer

    leader = submission.group_leader or submission
    _require_visible(user, [submission.pk, leader.pk])
    ids = _members([leader])
    now = timezone.now()
    with transaction.atomic():
        targets = Submission.objects.select_for_update().filter(
            pk__in=ids, status__in=OPEN_STATUSES
        )
        to_send = list(targets.exclude(contact="").values_list("pk", flat=True))
        count = targets.update(
            status=Status.ANSWERED,
            answer=text,
            answered_at=now,
            answered_by=user,
            answer_sent_at=None,
            answer_error="",
        )
        log_action(
            "community.submission.answer",
            user=user,
            instance=leader,
            data={"ids": ids, "answered": count, "to_send": len(to_send)},
        )
        for pk in to_send:
            transaction.on_commit(partial(send_answer.enqueue, pk))
    return count


def erase_contact(submission: Submission, *, user: User = None, reason: str) -> bool:
    """Delete the resident's contact (on request, after use, or at the retention limit).
    Without a user it is the resident or the system asking."""
    if user is not None:
        _require(user, TRIAGE)
        _require_visible(user, [submission.pk])
    with transaction.atomic():
        updated = (
            Submission.objects.filter(pk=submission.pk)
            .exclude(contact="")
            .update(
                contact="", answer_channel="", contact_consent_at=None, contact_erase_after=None
            )
        )
        if updated:
            log_action(
                "community.contact.erase", user=user, instance=submission, data={"reason": reason}
            )
    return bool(updated)


def erase_contact_by_reference(reference: str, *, phone: str = "") -> bool:
    """A resident's deletion request: by the reference code (web page) or by SMS from the
    same number (``phone``, already normalised)."""
    submission = Submission.objects.filter(reference=reference.strip().upper()[:12]).first()
    if submission is None or not submission.contact:
        return False
    if phone and submission.contact != phone:
        return False
    return erase_contact(submission, reason="resident request")


def purge_expired_contacts(now: Any = None) -> int:
    """Erase every contact past its retention date (run daily: `pctt community purge`)."""
    now = now or timezone.now()
    expired = Submission.objects.exclude(contact="").filter(contact_erase_after__lte=now)
    ids = list(expired.values_list("pk", flat=True))
    with transaction.atomic():
        Submission.objects.filter(pk__in=ids).update(
            contact="", answer_channel="", contact_consent_at=None, contact_erase_after=None
        )
        if ids:
            log_action("community.contact.purge", user=None, data={"count": len(ids)})
    return len(ids)


def hazard_to_warning_draft(submission: Submission, *, user: User) -> Any:
    """One click: a warning draft prefilled from a hazard report. Only a draft — the alerts
    workflow (preview, second person approves) decides whether anything is sent."""
    from pctt.alerts import actions as alerts
    from pctt.alerts.models.choices import Hazard

    _require(user, VIEW)
    _require(user, DRAFT_WARNING)
    _require_visible(user, [submission.pk])
    if submission.kind != Kind.HAZARD:
        raise ValidationError(_("Only a hazard report can become a warning draft."))
    if submission.warning_draft_id:
        return submission.warning_draft
    where = submission.place or (
        submission.residential_group.name if submission.residential_group else ""
    )
    headline = _("Hazard reported by residents: %(where)s") % {"where": where or "?"}
    draft = alerts.create_draft(
        user=user,
        template=None,
        area_ids=[submission.residential_group_id] if submission.residential_group_id else [],
        hazard=Hazard.OTHER,
        event_vi=_("Hazard reported by residents"),
        headline_vi=headline[:300],
        description_vi=submission.text,
        instruction_vi="{" + _("what residents must do") + "}",
        urgency="Immediate" if submission.urgent else "Expected",
        severity="Moderate",
        certainty="Possible",
        expires=timezone.now() + timedelta(hours=12),
        note=_("From residents' report %(ref)s") % {"ref": submission.reference},
    )
    with transaction.atomic():
        Submission.objects.filter(pk=submission.pk).update(
            warning_draft=draft, status=Status.IN_PROGRESS
        )
        log_action(
            "community.submission.warning_draft",
            user=user,
            instance=submission,
            data={"alert": draft.pk},
        )
    submission.warning_draft = draft
    return draft


class LibraryNotReady(RuntimeError):
    """The library app does not offer the Q&A hand-over yet."""


def propose_for_qa(submission: Submission, *, user: User) -> int | None:
    """A good question → a Q&A draft in the library, which its editorial workflow reviews.

    Calls ``pctt.library.handover.create_qa_draft(question=, answer=, user=, source=)`` (a
    function the library provides, returning the new draft page); until it exists the
    question is only marked as proposed so editors can pick it up. Returns the page id.
    """
    _require(user, TRIAGE)
    _require_visible(user, [submission.pk])
    if submission.kind != Kind.QUESTION or not submission.answer:
        raise ValidationError(_("Only an answered question can become a Q&A entry."))
    page_id: int | None = None
    try:
        from pctt.library.handover import create_qa_draft
    except ImportError:
        create_qa_draft = None  # type: ignore[assignment]
    with transaction.atomic():
        if create_qa_draft is not None and submission.qa_page_id is None:
            page = create_qa_draft(
                question=submission.text,
                answer=submission.answer,
                user=user,
                source=f"community:{submission.reference}",
            )
            page_id = int(page.pk)
        Submission.objects.filter(pk=submission.pk).update(
            qa_proposed_at=timezone.now(), qa_page_id=page_id or submission.qa_page_id
        )
        log_action(
            "community.submission.propose_qa",
            user=user,
            instance=submission,
            data={"page": page_id},
        )
    return page_id


def _unique_slug(text: str) -> str:
    base = slugify(fold(text))[:60].strip("-") or "tin-don"
    slug, n = base, 2
    while Claim.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def claim_from_reports(submissions: Iterable[Submission], *, user: User) -> Claim:
    """Reports of the same rumour → one claim with its variants; the reports are linked."""
    _require(user, EDIT_CLAIM)
    ids = _members(submissions)
    _require_visible(user, ids)
    reports = list(Submission.objects.filter(pk__in=ids).order_by("received_at"))
    if not reports or any(r.kind != Kind.CLAIM for r in reports):
        raise ValidationError(_("Choose reports of claims seen."))
    first = reports[0]
    with transaction.atomic():
        claim = Claim.objects.create(
            wording=first.text,
            slug=_unique_slug(first.text),
            first_seen=timezone.localdate(first.received_at),
        )
        seen = {fold(first.text)}
        for report in reports[1:]:
            key = fold(report.text)
            if key not in seen:
                seen.add(key)
                ClaimVariant.objects.create(
                    claim=claim,
                    wording=report.text,
                    seen_on=timezone.localdate(report.received_at),
                )
        Submission.objects.filter(pk__in=ids).update(claim=claim, status=Status.IN_PROGRESS)
        log_action("community.claim.create", user=user, instance=claim, data={"reports": ids})
    return claim


def save_claim(claim: Claim, *, user: User, previous_verdict: str | None) -> Claim:
    """Save edits made in the back office; a new verdict records who verified it and when."""
    _require(user, EDIT_CLAIM)
    with transaction.atomic():
        if claim.verdict != previous_verdict:
            pending = claim.verdict == Verdict.PENDING
            claim.verified_by = None if pending else user
            claim.verified_at = None if pending else timezone.now()
        if not claim.slug:
            claim.slug = _unique_slug(claim.wording)
        claim.save()
        log_action(
            "community.claim.save",
            user=user,
            instance=claim,
            data={"verdict": claim.verdict, "published": claim.is_published},
        )
    return claim


def correction_problems(claim: Claim) -> list[str]:
    """What stops a correction from being published; empty when it is ready."""
    found = []
    if claim.verdict == Verdict.PENDING:
        found.append(_("Record a verdict first."))
    if not claim.title.strip() or not claim.facts.strip():
        found.append(_("Write a title and the facts."))
    if not claim.short_text.strip():
        found.append(_("Write the short version for SMS and loudspeakers."))
    if not claim.evidence.exists():
        found.append(_("Add at least one piece of evidence."))
    return found


def publish_correction(claim: Claim, *, user: User, url: str = "") -> Claim:
    """Publish the correction on the portal and answer the open reports of the claim."""
    _require(user, PUBLISH)
    problems = correction_problems(claim)
    if problems:
        raise ValidationError(problems)
    from pctt.community.tasks import send_answer

    now = timezone.now()
    with transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(published_at=now, published_by=user)
        reports = Submission.objects.select_for_update().filter(
            claim=claim, status__in=OPEN_STATUSES
        )
        to_send = list(reports.exclude(contact="").values_list("pk", flat=True))
        text = f"{claim.short_text} {url}".strip()
        reports.update(status=Status.ANSWERED, answer=text, answered_at=now, answered_by=user)
        log_action(
            "community.claim.publish",
            user=user,
            instance=claim,
            data={"verdict": claim.verdict, "reports_answered": len(to_send)},
        )
        for pk in to_send:
            transaction.on_commit(partial(send_answer.enqueue, pk))
    claim.refresh_from_db()
    return claim


def unpublish_correction(claim: Claim, *, user: User) -> Claim:
    _require(user, PUBLISH)
    with transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(published_at=None)
        log_action("community.claim.unpublish", user=user, instance=claim)
    claim.refresh_from_db()
    return claim


def correction_to_warning_draft(claim: Claim, *, user: User) -> Any:
    """When it matters, a published correction goes out like a warning: this makes the
    draft; the alerts workflow (second person approves) sends it."""
    from pctt.alerts import actions as alerts
    from pctt.alerts.models.choices import Hazard
    from pctt.areas.models import AdminUnit, WardSetting

    _require(user, DRAFT_WARNING)
    if not claim.is_published:
        raise ValidationError(_("Publish the correction first."))
    if claim.warning_draft_id:
        return claim.warning_draft
    ward = WardSetting.load().ward
    groups = list(
        AdminUnit.objects.groups().filter(parent=ward).values_list("pk", flat=True) if ward else []
    )
    draft = alerts.create_draft(
        user=user,
        template=None,
        area_ids=groups,
        hazard=Hazard.OTHER,
        category="Safety",
        response_type="None",
        event_vi=_("Correction of false information"),
        headline_vi=claim.title[:300],
        description_vi=claim.facts,
        instruction_vi=claim.short_text,
        sms_vi=claim.short_text,
        loudspeaker_vi=f"{claim.title}. {claim.facts}",
        urgency="Expected",
        severity="Minor",
        certainty="Observed",
        expires=timezone.now() + timedelta(hours=24),
    )
    with transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(warning_draft=draft)
        log_action(
            "community.claim.warning_draft", user=user, instance=claim, data={"alert": draft.pk}
        )
    claim.warning_draft = draft
    return draft


def open_reports_of(claim: Claim) -> Any:
    return Submission.objects.filter(Q(claim=claim) & Q(status__in=OPEN_STATUSES))
