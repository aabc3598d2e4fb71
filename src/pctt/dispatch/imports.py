"""Bulk import of subscribers from CSV (paper forms typed up at the ward office).

All or nothing: every row is checked first; if any row is wrong nothing is written and the
report lists each error by line number (never repeating a phone number or e-mail in clear).

Columns (header row required, order free, names case-insensitive):
``phone``, ``email``, ``group`` (residential group code), ``lon``, ``lat``, ``channels``
(``sms``/``email``/``app`` separated by ``;`` or spaces; default: every address given),
``drills`` (yes/no), ``language`` (vi), ``consent_date`` (YYYY-MM-DD; default today).
Consent is recorded with method "imported list (paper forms)".
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pctt.areas.models import AdminUnit
from pctt.core import phone as phones
from pctt.dispatch.models import Consent, Subscriber

MAX_BYTES = 20_000_000
MAX_ROWS = 200_000
MAX_FIELD = 500
COLUMNS = frozenset(
    {"phone", "email", "group", "lon", "lat", "channels", "drills", "language", "consent_date"}
)
_YES = {"1", "yes", "y", "true", "co", "có", "x"}
_NO = {"", "0", "no", "n", "false", "khong", "không"}


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class _Row:
    phone: str
    email: str
    group_id: int | None
    lon: float | None
    lat: float | None
    channels: tuple[str, ...]
    drills: bool
    language: str
    consent_at: datetime


class ImportRefused(Exception):
    def __init__(self, report: ImportReport) -> None:
        self.report = report
        super().__init__(_("%(n)d error(s); nothing was imported.") % {"n": len(report.errors)})


def _rows(data: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(_("the file is not UTF-8 text")) from exc
    if "\x00" in text:
        raise ValueError(_("the file contains NUL bytes"))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header = next(reader, None)
    if not header:
        raise ValueError(_("the file is empty"))
    names = [h.strip().lower() for h in header]
    unknown = [n for n in names if n not in COLUMNS]
    if unknown or len(set(names)) != len(names):
        raise ValueError(
            _("unknown or repeated columns: %(cols)s") % {"cols": ", ".join(unknown[:5]) or "…"}
        )
    if "phone" not in names and "email" not in names:
        raise ValueError(_("a phone or email column is required"))
    for values in reader:
        if len(values) != len(names):
            yield reader.line_num, {"__width__": str(len(values))}
            continue
        yield reader.line_num, dict(zip(names, values, strict=True))


def _number(text: str, low: float, high: float) -> float:
    value = float(text.replace(",", "."))
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError
    return value


def _check(
    values: dict[str, str], groups: dict[str, int], today: datetime
) -> tuple[_Row | None, list[str]]:
    errors: list[str] = []
    if "__width__" in values:
        return None, [_("wrong number of columns")]
    if any(len(v) > MAX_FIELD for v in values.values()):
        return None, [_("a value is too long")]
    get = lambda key: values.get(key, "").strip()  # noqa: E731
    phone = ""
    if get("phone"):
        try:
            phone = phones.normalise(get("phone"))
        except phones.PhoneError:
            errors.append(_("phone number is not a Vietnamese mobile number"))
    email = get("email").lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(_("e-mail address is not valid"))
            email = ""
    if not phone and not email and not errors:
        errors.append(_("no phone number and no e-mail"))
    group_id = None
    if get("group"):
        group_id = groups.get(get("group"))
        if group_id is None:
            errors.append(_("unknown residential group code"))
    lon = lat = None
    if get("lon") or get("lat"):
        try:
            lon, lat = _number(get("lon"), -180, 180), _number(get("lat"), -90, 90)
        except ValueError:
            errors.append(_("longitude/latitude are not valid numbers"))
    available = {"sms": bool(phone), "email": bool(email)}
    channels = tuple(c for c in get("channels").replace(";", " ").lower().split() if c)
    if not channels:
        channels = tuple(c for c, ok in available.items() if ok)
    for channel in channels:
        if channel not in Consent.Channel.values:
            errors.append(_("unknown channel"))
        elif channel in available and not available[channel] and not errors:
            errors.append(_("consent for a channel without an address"))
    drills_text = get("drills").lower()
    if drills_text not in _YES | _NO:
        errors.append(_("drills must be yes or no"))
    language = get("language") or "vi"
    if language not in ("vi", "en"):
        errors.append(_("language must be vi or en"))
    consent_at = today
    if get("consent_date"):
        try:
            day = date.fromisoformat(get("consent_date"))
            consent_at = timezone.make_aware(datetime.combine(day, time(12)))
            if consent_at > today:
                raise ValueError
        except ValueError:
            errors.append(_("consent date is not a past date (YYYY-MM-DD)"))
    if errors:
        return None, errors
    return (
        _Row(phone, email, group_id, lon, lat, channels, drills_text in _YES, language, consent_at),
        [],
    )


def import_subscribers(
    data: bytes, *, progress: Callable[[int], None] | None = None
) -> ImportReport:
    """Check every row, then create all subscribers and consents in one transaction."""
    report = ImportReport()
    if len(data) > MAX_BYTES:
        report.errors.append(
            RowError(0, _("the file is larger than %(n)d bytes") % {"n": MAX_BYTES})
        )
        raise ImportRefused(report)
    groups = dict(AdminUnit.objects.groups().values_list("code", "pk"))
    existing = set(Subscriber.objects.exclude(phone="").values_list("phone", flat=True))
    now = timezone.now()
    valid: list[_Row] = []
    seen: dict[str, int] = {}
    try:
        for line, values in _rows(data):
            report.rows += 1
            if report.rows > MAX_ROWS:
                report.errors.append(RowError(line, _("more than %(n)d rows") % {"n": MAX_ROWS}))
                break
            row, errors = _check(values, groups, now)
            report.errors.extend(RowError(line, e) for e in errors)
            if row is not None:
                key = row.phone or row.email
                if key in seen:
                    report.errors.append(
                        RowError(line, _("same person as line %(n)d") % {"n": seen[key]})
                    )
                elif row.phone and row.phone in existing:
                    report.skipped += 1
                else:
                    seen[key] = line
                    valid.append(row)
            if progress and report.rows % 500 == 0:
                progress(report.rows)
            if len(report.errors) >= 1000:
                report.errors.append(RowError(line, _("too many errors; stopped checking")))
                break
    except (ValueError, csv.Error) as exc:
        report.errors.append(RowError(0, str(exc)))
    if report.errors:
        raise ImportRefused(report)
    with transaction.atomic():
        created = Subscriber.objects.bulk_create(
            [
                Subscriber(
                    phone=r.phone,
                    email=r.email,
                    residential_group_id=r.group_id,
                    lon=r.lon,
                    lat=r.lat,
                    receives_drills=r.drills,
                    language=r.language,
                )
                for r in valid
            ],
            batch_size=1000,
        )
        Consent.objects.bulk_create(
            [
                Consent(
                    subscriber=s,
                    channel=channel,
                    method=Consent.Method.IMPORT,
                    given_at=r.consent_at,
                    confirmed_at=r.consent_at,
                )
                for s, r in zip(created, valid, strict=True)
                for channel in r.channels
            ],
            batch_size=1000,
        )
    report.created = len(created)
    if progress:
        progress(report.rows)
    return report
