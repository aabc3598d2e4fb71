"""Building each cluster's schedule from the programmes, and its versions.

A cluster's schedule covers today and the next days (``HORIZON_DAYS``), counted from local
midnight, so it changes only when a programme changes or a day rolls over: each change is a
new version, audited, pushed to the controller before the slot comes.
"""

from __future__ import annotations

import hashlib
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from pctt.accounts.audit import log_action
from pctt.core import tts
from pctt.dispatch.models import LoudspeakerCluster
from pctt.loudspeakers import protocol
from pctt.loudspeakers.models import ClusterSchedule, Programme, ProgrammeItem

HORIZON_DAYS = 7


def applies_on(programme: Programme, day: date) -> bool:
    if programme.starts_on and day < programme.starts_on:
        return False
    if programme.ends_on and day > programme.ends_on:
        return False
    return not programme.weekdays or day.weekday() in programme.weekdays


def media_url(path: str) -> str:
    base = str(getattr(settings, "WAGTAILADMIN_BASE_URL", "")).rstrip("/")
    return f"{base}{settings.MEDIA_URL}{path}"


def ensure_speech(item: ProgrammeItem) -> None:
    """Speak a script item with its voice and speed (espeak-ng), once per text/voice/speed."""
    if item.kind != ProgrammeItem.Kind.SCRIPT or item.script is None:
        return
    text = item.script.programme_text[: tts.MAX_TEXT_CHARS]
    key = hashlib.sha256(f"{item.voice}|{item.speed_wpm}|{text}".encode()).hexdigest()
    if item.audio_key == key and (item.audio or not tts.tts_available()):
        return
    if not tts.tts_available():
        item.duration_s = protocol.speech_seconds(text, item.speed_wpm)
        item.audio_key = key
        item.save(update_fields=["duration_s", "audio_key"])
        return
    with tempfile.TemporaryDirectory() as tmp:
        info = tts.synthesise(
            text, voice=item.voice, speed_wpm=item.speed_wpm, out_path=Path(tmp) / "item.mp3"
        )
        if item.audio:
            item.audio.delete(save=False)
        with info.path.open("rb") as handle:
            item.audio.save(
                f"item-{item.pk}-{key[:12]}{info.path.suffix}", File(handle), save=False
            )
    item.audio_key = key
    item.duration_s = round(info.duration_s, 2)
    item.save(update_fields=["audio", "audio_key", "duration_s"])


def item_entry(item: ProgrammeItem, at: datetime, day: date) -> dict[str, Any]:
    entry = protocol.Item(
        id=f"p{item.programme_id}-i{item.pk}-{day:%Y%m%d}",
        title=item.title,
        kind=item.kind,
        priority=item.priority,
        at=at.timestamp(),
        slot=f"{timezone.localtime(at):%Y-%m-%dT%H:%M:%S}",
    )
    if item.kind == ProgrammeItem.Kind.SCRIPT:
        entry.kind = "speech"
        entry.duration_s = item.duration_s
        if item.audio:
            entry.audio_url = media_url(item.audio.name or "")
        elif item.script is not None:
            entry.text = item.script.programme_text
    elif item.kind == ProgrammeItem.Kind.RECORDING and item.recording is not None:
        entry.duration_s = item.recording.duration_s
        entry.audio_url = media_url(item.recording.file.name or "")
    else:
        entry.duration_s = float(item.relay_minutes * 60)
        entry.stream_url = item.stream_url
    return entry.to_json()


def entries_for(
    cluster: LoudspeakerCluster, *, now: datetime | None = None
) -> list[dict[str, Any]]:
    today = timezone.localdate(now or timezone.now())
    programmes = list(
        Programme.objects.filter(active=True, clusters=cluster).prefetch_related(
            "items__script", "items__recording"
        )
    )
    entries = []
    for offset in range(HORIZON_DAYS):
        day = today + timedelta(days=offset)
        for programme in programmes:
            if not applies_on(programme, day):
                continue
            for item in programme.items.all():
                ensure_speech(item)
                at = timezone.make_aware(datetime.combine(day, item.slot))
                entries.append(item_entry(item, at, day))
    entries.sort(key=lambda e: (e["at"], protocol.PRIORITY_RANK.get(e.get("priority", ""), 2)))
    return entries


def latest(cluster: LoudspeakerCluster) -> ClusterSchedule | None:
    return ClusterSchedule.objects.filter(cluster=cluster).order_by("-version").first()


@transaction.atomic
def refresh(cluster: LoudspeakerCluster, *, now: datetime | None = None) -> ClusterSchedule:
    """The cluster's current schedule: a new version when its content changed."""
    entries = entries_for(cluster, now=now)
    current = latest(cluster)
    if current is not None and current.items == entries:
        return current
    top = ClusterSchedule.objects.filter(cluster=cluster).aggregate(v=Max("version"))["v"] or 0
    schedule = ClusterSchedule.objects.create(cluster=cluster, version=top + 1, items=entries)
    log_action(
        "pctt.loudspeakers.schedule_version",
        user=None,
        instance=schedule,
        data={"cluster": cluster.controller_id, "version": schedule.version, "items": len(entries)},
    )
    return schedule


def payload(schedule: ClusterSchedule) -> dict[str, Any]:
    return {"version": schedule.version, "items": schedule.items}
