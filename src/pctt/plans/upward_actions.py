"""The actions of upward reporting (part of the plans actions layer, kept apart for size).

Ward side: link to the province, push a report. Province side: register a ward (its token is
shown once), receive a report. Each checks permission, writes the audit log and returns the
saved row. `user=None` means the server's own operator at the command line (`pctt plans …`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pctt.accounts.audit import log_action
from pctt.plans import upward_signing as signing
from pctt.plans.models import ProvinceLink, PushStatus, ReceivedReport, Report, ReportingWard
from pctt.plans.models.upward import ENV_NAME, UsedNonce
from pctt.plans.upward_schema import CODE_PATTERN

User = Any

PUSH_PERMISSION = "plans.push_report"
MANAGE_WARDS_PERMISSION = "plans.add_reportingward"
LINK_PERMISSION = "plans.add_provincelink"


def _require(user: User | None, permission: str) -> None:
    if user is None:  # the command line on the server itself
        return
    if not user.is_authenticated or not user.has_perm(permission):
        raise PermissionDenied(permission)


# --- province side -------------------------------------------------------------------------


@transaction.atomic
def add_reporting_ward(*, user: User | None, code: str, name: str) -> tuple[ReportingWard, str]:
    """Register a ward; returns it with its API token, which is not stored and not shown again."""
    _require(user, MANAGE_WARDS_PERMISSION)
    code, name = code.strip(), name.strip()
    if not CODE_PATTERN.match(code) or not name:
        raise ValidationError(_("Give the ward's administrative code and its name."))
    if ReportingWard.objects.filter(code=code).exists():
        raise ValidationError(_("This ward is already registered."))
    token = signing.new_token()
    ward = ReportingWard.objects.create(
        code=code,
        name=name[:200],
        token_hash=signing.hash_token(token),
        token_issued_at=timezone.now(),
    )
    log_action("pctt.plans.add_reporting_ward", user=user, instance=ward, data={"code": code})
    return ward, token


@transaction.atomic
def reissue_token(*, user: User | None, ward: ReportingWard) -> str:
    """A new token for a ward (the old one stops working at once)."""
    _require(user, "plans.change_reportingward")
    token = signing.new_token()
    ward.token_hash = signing.hash_token(token)
    ward.token_issued_at = timezone.now()
    ward.save(update_fields=["token_hash", "token_issued_at"])
    log_action("pctt.plans.reissue_token", user=user, instance=ward, data={"code": ward.code})
    return token


@transaction.atomic
def set_pull_url(*, user: User | None, ward: ReportingWard, url: str) -> ReportingWard:
    """The province collects this ward's reports from its outbox (or, with "", stops)."""
    _require(user, "plans.change_reportingward")
    url = url.strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ValidationError(_("Give the ward's outbox as an http(s) address.")) from None
    ward.pull_url = url
    ward.save(update_fields=["pull_url"])
    log_action("pctt.plans.set_pull_url", user=user, instance=ward, data={"url": url})
    return ward


class Replayed(Exception):
    """The nonce was already used: a captured request sent again."""


class Conflict(Exception):
    """A different report already arrived under the same (ward, period, number)."""


@dataclass(frozen=True)
class Upload:
    """A push that passed authentication, signature and schema checks in the API view."""

    payload: dict[str, Any]
    canonical: bytes
    docx: bytes
    signed: signing.Signed
    signature: str


def receive_report(*, ward: ReportingWard, upload: Upload) -> tuple[ReceivedReport, bool]:
    """Store a ward's report once. Returns (report, created): an identical resend (same
    figures, same .docx) is acknowledged with the stored report; a different one is refused
    with Conflict. A replayed nonce raises Replayed. Nothing is half-saved: the file is
    removed again if the database transaction fails."""
    saved_name = ""
    try:
        with transaction.atomic():
            now = timezone.now()
            horizon = now - timedelta(seconds=2 * signing.SIGNATURE_WINDOW_SECONDS)
            UsedNonce.objects.filter(seen_at__lt=horizon).delete()
            try:
                with transaction.atomic():
                    UsedNonce.objects.create(ward=ward, nonce=upload.signed.nonce, seen_at=now)
            except IntegrityError:
                raise Replayed from None
            report_data = upload.payload["report"]
            key = {"ward": ward, "period": report_data["period"], "number": report_data["number"]}
            existing = ReceivedReport.objects.filter(**key).first()
            if existing is not None:
                return _same_or_conflict(existing, upload), False
            row = ReceivedReport(
                **key,
                number_symbol=report_data["number_symbol"][:60],
                layout=report_data["layout"],
                dated=report_data["dated"],
                title=report_data["title"],
                figures=upload.payload["figures"],
                json_sha256=upload.signed.json_sha256,
                docx_sha256=upload.signed.docx_sha256,
                signature=upload.signature,
                signature_valid=True,
                signed_at=datetime.fromtimestamp(upload.signed.timestamp, tz=UTC),
            )
            row.document.save("report.docx", ContentFile(upload.docx), save=False)
            saved_name = row.document.name or ""
            try:
                with transaction.atomic():
                    row.save()
            except IntegrityError:
                # The same report raced in through another request.
                default_storage.delete(saved_name)
                saved_name = ""
                return _same_or_conflict(ReceivedReport.objects.get(**key), upload), False
            log_action(
                "pctt.plans.receive_report",
                user=None,
                instance=row,
                data={"ward": ward.code, "period": row.period, "number": row.number},
            )
    except BaseException:
        if saved_name:
            default_storage.delete(saved_name)
        raise
    return row, True


def _same_or_conflict(existing: ReceivedReport, upload: Upload) -> ReceivedReport:
    same = (existing.json_sha256, existing.docx_sha256) == (
        upload.signed.json_sha256,
        upload.signed.docx_sha256,
    )
    if not same:
        raise Conflict
    return existing


# --- ward side -----------------------------------------------------------------------------


@transaction.atomic
def link_province(
    *, user: User | None, url: str, token_env: str, mode: str = ProvinceLink.Mode.PUSH
) -> ProvinceLink:
    """Point this ward at its province. The token stays in the environment variable named.
    In "pull" mode the province collects from this ward's outbox, and `url` may be empty."""
    _require(user, LINK_PERMISSION)
    if mode not in ProvinceLink.Mode.values:
        raise ValidationError(_("Choose push or pull."))
    try:
        if url or mode == ProvinceLink.Mode.PUSH:
            URLValidator(schemes=["http", "https"])(url)
        ENV_NAME(token_env)
    except ValidationError:
        raise ValidationError(
            _("Give an http(s) address and an environment variable name (A-Z, 0-9, _).")
        ) from None
    ProvinceLink.objects.filter(enabled=True).update(enabled=False)
    link = ProvinceLink.objects.create(url=url, token_env=token_env, mode=mode)
    log_action(
        "pctt.plans.link_province",
        user=user,
        instance=link,
        data={"url": url, "token_env": token_env, "mode": mode},
    )
    return link


def push_report(*, user: User | None, report: Report, background: bool = True) -> Report:
    """Send a finished report (figures + .docx) to the province.

    Freezes the .docx that will be sent (retries resend the same bytes) and queues the
    attempt after commit; `background=False` (the command line) makes the first attempt now
    and queues only the retries. A report the province has received is not sent again."""
    from pctt.plans import reporting, tasks, upward_push

    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        _require(user, PUSH_PERMISSION)
        if user is not None:
            from pctt.plans.actions import _require_report

            _require_report(user, report.organisation, PUSH_PERMISSION)
        if report.push_status == PushStatus.SENT:
            raise ValidationError(_("The province has already received this report."))
        link = ProvinceLink.current()
        pull = link is not None and link.mode == ProvinceLink.Mode.PULL
        if pull and report.push_status == PushStatus.READY:
            raise ValidationError(_("This report is already waiting for the province."))
        if report.push_status in (PushStatus.QUEUED, PushStatus.RETRYING) and background:
            raise ValidationError(_("This report is already on its way to the province."))
        problem = upward_push.configuration_problem()
        if problem:
            raise ValidationError(problem)
        old = report.push_document.name
        report.push_document.save(
            f"bao-cao-{report.pk}.docx", ContentFile(reporting.docx_bytes(report)), save=False
        )
        # Pulled: the report waits in this ward's outbox until the province collects it.
        report.push_status = PushStatus.READY if pull else PushStatus.QUEUED
        report.push_detail = ""
        report.push_attempts = 0
        report.save(update_fields=["push_document", "push_status", "push_detail", "push_attempts"])
        log_action(
            "pctt.plans.push_report",
            user=user,
            instance=report,
            data={"number": report.number_symbol, "mode": "pull" if pull else "push"},
        )
        if old and old != report.push_document.name:
            transaction.on_commit(lambda: default_storage.delete(old))
        if pull:
            return report
        if background:
            report_id = report.pk
            transaction.on_commit(lambda: tasks.push_report.enqueue(report_id))
    if not background:
        upward_push.attempt(report.pk)
        report.refresh_from_db()
    return report


def token_for(link: ProvinceLink) -> str:
    return os.environ.get(link.token_env, "").strip()
