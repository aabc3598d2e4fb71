"""Every change of state in the loudspeaker system goes through here: back office, monitor,
CLI. Each checks permission (people) or is a system action (devices), writes the audit log and
queues its messages for the controllers (published by the monitor, retried until the broker
has them)."""

from __future__ import annotations

import logging
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pctt.accounts.audit import changes, log_action
from pctt.accounts.audit import snapshot as field_snapshot
from pctt.core import tts
from pctt.dispatch.models import LoudspeakerCluster
from pctt.loudspeakers import audio, protocol
from pctt.loudspeakers.models import (
    Announcement,
    ClusterDevice,
    DeviceCommand,
    HealthAlert,
    PlayLog,
    Programme,
    ProgrammeRevision,
    Recording,
)

logger = logging.getLogger("pctt.loudspeakers")
User = Any  # an authenticated user, AnonymousUser or None (system); stubs type has_perm on User

CONFIGURE = "loudspeakers.change_clusterdevice"
PROGRAMME = "loudspeakers.change_programme"
RECORD = "loudspeakers.add_recording"
ANNOUNCE = "loudspeakers.add_announcement"
#: Heartbeats may be this late before a cluster counts as silent (network jitter).
HEARTBEAT_GRACE = 1.5
MAX_ANNOUNCEMENT_CHARS = 2000


def _require(user: User, permission: str) -> None:
    if user is None or not user.has_perm(permission):
        raise PermissionDenied(permission)


def _actor(user: User) -> Any:
    """The person behind an action, or None for the system and anonymous users."""
    return user if isinstance(user, AbstractBaseUser) else None


def device_for(cluster: LoudspeakerCluster) -> ClusterDevice:
    device, _created = ClusterDevice.objects.get_or_create(cluster=cluster)
    return device


# -- configuration ----------------------------------------------------------------------------
DEVICE_FIELDS = ("hazard_zone", "high_risk", "lon", "lat", "coverage_radius_m", "heartbeat_s")


@transaction.atomic
def configure_device(device: ClusterDevice, *, user: User) -> ClusterDevice:
    """Save where a cluster stands and how it is watched (the form filled ``device``)."""
    _require(user, CONFIGURE)
    if device.lon is not None and not -180 <= device.lon <= 180:
        raise ValidationError({"lon": _("Longitude must be between -180 and 180.")})
    if device.lat is not None and not -90 <= device.lat <= 90:
        raise ValidationError({"lat": _("Latitude must be between -90 and 90.")})
    if device.heartbeat_s < 1:
        raise ValidationError({"heartbeat_s": _("A heartbeat of at least one second.")})
    # The form changed ``device`` in memory: what is stored is the "before".
    stored = ClusterDevice.objects.filter(pk=device.pk).first() if device.pk else None
    old = field_snapshot(stored, DEVICE_FIELDS) if stored is not None else {}
    device.save()
    was, now = changes(old, field_snapshot(device, DEVICE_FIELDS))
    log_action(
        "pctt.loudspeakers.configure",
        user=user,
        instance=device,
        data={f: str(getattr(device, f)) for f in DEVICE_FIELDS},
        before=was,
        after=now,
    )
    return device


def programme_snapshot(programme: Programme) -> dict[str, Any]:
    return {
        "name": programme.name,
        "active": programme.active,
        "weekdays": programme.weekdays,
        "starts_on": str(programme.starts_on or ""),
        "ends_on": str(programme.ends_on or ""),
        "clusters": sorted(programme.clusters.values_list("controller_id", flat=True)),
        "items": [
            {
                "slot": f"{item.slot:%H:%M:%S}",
                "position": item.position,
                "kind": item.kind,
                "script": item.script_id,
                "voice": item.voice,
                "speed_wpm": item.speed_wpm,
                "recording": item.recording_id,
                "stream_url": item.stream_url,
                "relay_minutes": item.relay_minutes,
                "priority": item.priority,
            }
            for item in programme.items.all()
        ],
    }


@transaction.atomic
def record_programme_change(programme: Programme, *, user: User) -> ProgrammeRevision:
    """After a programme was saved: a new version with what it now is, audited. The monitor
    builds and pushes the affected clusters' schedules."""
    _require(user, PROGRAMME)
    Programme.objects.filter(pk=programme.pk).update(version=F("version") + 1)
    programme.refresh_from_db(fields=["version"])
    snapshot = programme_snapshot(programme)
    revision = ProgrammeRevision.objects.create(
        programme=programme,
        version=programme.version,
        snapshot=snapshot,
        changed_by=_actor(user),
    )
    log_action(
        "pctt.loudspeakers.programme",
        user=user,
        instance=programme,
        data={"version": programme.version, **snapshot},
    )
    return revision


def validate_item(kind: str, *, script: Any, recording: Any, stream_url: str, minutes: int) -> None:
    from pctt.loudspeakers.models import ProgrammeItem

    if kind == ProgrammeItem.Kind.SCRIPT and script is None:
        raise ValidationError(_("Choose a library script for a spoken item."))
    if kind == ProgrammeItem.Kind.RECORDING and recording is None:
        raise ValidationError(_("Choose a recording."))
    if kind == ProgrammeItem.Kind.RELAY:
        if not stream_url.startswith(("http://", "https://")):
            raise ValidationError(_("A relay needs the stream's http or https address."))
        if not 1 <= minutes <= 240:
            raise ValidationError(_("A relay lasts between 1 and 240 minutes."))


# -- recordings -------------------------------------------------------------------------------
def refusal_message(exc: audio.AudioRefused) -> str:
    messages = {
        "too_big": _("The file is too big: at most %(mb)d MB.") % {"mb": audio.MAX_BYTES >> 20},
        "empty": _("The file is empty."),
        "type": _("Only MP3 and WAV recordings are accepted."),
        "corrupt": _("The recording is damaged and cannot be played."),
        "too_long": _("The recording is too long: at most %(min)d minutes.")
        % {"min": audio.MAX_SECONDS // 60},
        "silent": _("The recording is silent: nothing would be heard."),
    }
    return messages.get(exc.code, str(exc))


@transaction.atomic
def upload_recording(*, title: str, data: bytes, filename: str, user: User) -> Recording:
    _require(user, RECORD)
    if not title.strip():
        raise ValidationError(_("Give the recording a title."))
    try:
        checked = audio.check_and_normalise(data, filename)
    except audio.AudioRefused as exc:
        raise ValidationError(refusal_message(exc), code=exc.code) from exc
    recording = Recording(
        title=title.strip()[:200],
        original_name=Path(filename).name[:200],
        original_format=checked.format,
        duration_s=checked.duration_s,
        loudness_before_dbfs=checked.loudness_before_dbfs,
        gain_db=checked.gain_db,
        uploaded_by=_actor(user),
    )
    recording.file.save("recording.wav", ContentFile(checked.wav), save=False)
    recording.save()
    log_action(
        "pctt.loudspeakers.upload",
        user=user,
        instance=recording,
        data={
            "title": recording.title,
            "format": checked.format,
            "duration_s": checked.duration_s,
            "gain_db": checked.gain_db,
        },
    )
    return recording


# -- announcements and commands ---------------------------------------------------------------
def _speak(text: str, voice: str) -> tuple[bytes | None, str, float]:
    """(audio bytes, suffix, duration): espeak-ng when present, an estimate otherwise."""
    if not tts.tts_available():
        return None, "", protocol.speech_seconds(text)
    with tempfile.TemporaryDirectory() as tmp:
        info = tts.synthesise(text, voice=voice, out_path=Path(tmp) / "announcement.mp3")
        return info.path.read_bytes(), info.path.suffix, info.duration_s


@transaction.atomic
def announce(
    *,
    user: User,
    clusters: list[LoudspeakerCluster],
    text: str = "",
    recording: Recording | None = None,
    voice: str = "vi",
) -> Announcement:
    """A routine notice to chosen clusters, now (after what is playing; never interrupting)."""
    _require(user, ANNOUNCE)
    text = text.strip()
    if not clusters:
        raise ValidationError(_("Choose at least one cluster."))
    if not text and recording is None:
        raise ValidationError(_("Type the announcement or choose a recording."))
    if len(text) > MAX_ANNOUNCEMENT_CHARS:
        raise ValidationError(
            _("An announcement is at most %(n)d characters.") % {"n": MAX_ANNOUNCEMENT_CHARS}
        )
    announcement = Announcement.objects.create(
        text=text,
        recording=recording,
        voice=voice,
        sent_by=_actor(user),
    )
    announcement.clusters.set(clusters)
    if recording is not None:
        announcement.duration_s = recording.duration_s
        url = recording.file.url
    else:
        data, suffix, announcement.duration_s = _speak(text, voice)
        url = ""
        if data is not None:
            announcement.audio.save(f"announcement-{announcement.pk}{suffix}", ContentFile(data))
            url = announcement.audio.url
    announcement.save()
    item = protocol.Item(
        id=announcement.item_id,
        title=(text or str(recording))[:80],
        kind="announcement",
        priority="normal",
        duration_s=round(announcement.duration_s, 2),
        audio_url=url,
        text=text,
    )
    for cluster in clusters:
        DeviceCommand.objects.create(
            cluster=cluster, kind=DeviceCommand.Kind.PLAY, payload=item.to_json()
        )
    log_action(
        "pctt.loudspeakers.announce",
        user=user,
        instance=announcement,
        data={"clusters": [c.controller_id for c in clusters], "text": text[:500]},
    )
    return announcement


@transaction.atomic
def clear_warning(*, reference_prefix: str, keep: str = "", user: User = None) -> int:
    """A cancelled (or replaced) warning leaves every queue: unsent commands are dropped and
    every enabled cluster is told to remove it from its queue and schedule."""
    if not reference_prefix:
        raise ValueError("a reference prefix is needed")
    dropped = 0
    for command in DeviceCommand.objects.filter(published_at__isnull=True):
        reference = str(command.payload.get("reference", ""))
        if reference.startswith(reference_prefix) and reference != keep:
            command.delete()
            dropped += 1
    clusters = list(LoudspeakerCluster.objects.filter(enabled=True))
    body = {"cmd": "cancel", "reference_prefix": reference_prefix, "keep": keep}
    DeviceCommand.objects.bulk_create(
        DeviceCommand(cluster=c, kind=DeviceCommand.Kind.COMMAND, payload=body) for c in clusters
    )
    log_action(
        "pctt.loudspeakers.clear_warning",
        user=user,
        data={
            "reference_prefix": reference_prefix,
            "keep": keep,
            "clusters": len(clusters),
            "dropped_unsent": dropped,
        },
    )
    return len(clusters)


# -- what devices report (system actions) ----------------------------------------------------
def _active_warning_covers(device: ClusterDevice, now: datetime) -> str:
    from pctt.alerts.models import Alert

    covering = Q(areas=device.cluster.area_id)
    if device.hazard_zone_id is not None:
        covering |= Q(zones=device.hazard_zone_id)
    alert = Alert.objects.active(now).filter(covering).order_by("-sent").first()
    return str(alert.headline_vi) if alert is not None else ""


def _raise(device: ClusterDevice, kind: str, detail: str) -> HealthAlert | None:
    if HealthAlert.objects.filter(
        cluster=device.cluster, kind=kind, resolved_at__isnull=True
    ).exists():
        return None
    alert = HealthAlert.objects.create(cluster=device.cluster, kind=kind, detail=detail[:300])
    log_action(
        "pctt.loudspeakers.health_alert",
        user=None,
        instance=alert,
        data={"cluster": device.cluster.controller_id, "kind": kind, "detail": detail[:300]},
    )
    from pctt.loudspeakers.tasks import notify_health_alert

    transaction.on_commit(lambda: notify_health_alert.enqueue(alert.pk))
    return alert


def went_offline(
    device: ClusterDevice, *, now: datetime, missed_heartbeat: bool
) -> list[HealthAlert]:
    device.online = False
    device.playing = ""
    device.save(update_fields=["online", "playing"])
    log_action(
        "pctt.loudspeakers.offline",
        user=None,
        instance=device,
        data={"cluster": device.cluster.controller_id, "missed_heartbeat": missed_heartbeat},
    )
    raised = []
    reason = _("missed heartbeat") if missed_heartbeat else _("link lost (last will)")
    if device.high_risk:
        raised.append(_raise(device, HealthAlert.Kind.OFFLINE_HIGH_RISK, str(reason)))
    warning = _active_warning_covers(device, now)
    if warning:
        raised.append(
            _raise(device, HealthAlert.Kind.MISSED_DURING_WARNING, f"{reason}: {warning}")
        )
    return [a for a in raised if a is not None]


@transaction.atomic
def record_state(controller_id: str, state: protocol.State, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    cluster = LoudspeakerCluster.objects.filter(controller_id=controller_id).first()
    if cluster is None:
        logger.warning("state from an unknown controller %s", controller_id[:64])
        return
    device = ClusterDevice.objects.select_for_update().filter(cluster=cluster).first()
    device = device or ClusterDevice.objects.create(cluster=cluster)
    if not state.online:
        if device.online:
            went_offline(device, now=now, missed_heartbeat=False)
        return
    was_offline = not device.online
    device.online = True
    device.last_seen_at = now
    device.playing = state.playing
    device.last_played = state.last_played
    device.firmware = state.firmware
    if state.volume is not None:
        device.volume = state.volume
    if state.schedule_version is not None:
        device.schedule_version = state.schedule_version
    if state.heartbeat_s:
        device.heartbeat_s = state.heartbeat_s
    device.save()
    if was_offline:
        resolved = HealthAlert.objects.filter(cluster=cluster, resolved_at__isnull=True).update(
            resolved_at=now
        )
        log_action(
            "pctt.loudspeakers.online",
            user=None,
            instance=device,
            data={"cluster": controller_id, "resolved_alerts": resolved},
        )


@transaction.atomic
def check_heartbeats(*, now: datetime | None = None) -> list[HealthAlert]:
    """Clusters silent for longer than their heartbeat (plus grace) count as offline."""
    now = now or timezone.now()
    raised: list[HealthAlert] = []
    for device in ClusterDevice.objects.select_related("cluster").filter(
        online=True, last_seen_at__isnull=False
    ):
        assert device.last_seen_at is not None
        if now - device.last_seen_at > timedelta(seconds=device.heartbeat_s * HEARTBEAT_GRACE):
            raised += went_offline(device, now=now, missed_heartbeat=True)
    return raised


@transaction.atomic
def record_receipt(controller_id: str, receipt: protocol.Receipt) -> PlayLog | None:
    from pctt.loudspeakers.models import ClusterSchedule

    cluster = LoudspeakerCluster.objects.filter(controller_id=controller_id).first()
    if cluster is None:
        logger.warning("receipt from an unknown controller %s", controller_id[:64])
        return None
    if receipt.event == "schedule":
        if receipt.version is None:
            return None
        ClusterSchedule.objects.filter(
            cluster=cluster, version=receipt.version, confirmed_at__isnull=True
        ).update(confirmed_at=timezone.now())
        ClusterDevice.objects.filter(cluster=cluster).update(schedule_version=receipt.version)
        return None
    started = datetime.fromtimestamp(receipt.started_at, tz=timezone.get_current_timezone())
    entry, created = PlayLog.objects.get_or_create(
        cluster=cluster,
        receipt_id=receipt.id,
        defaults={
            "item_id": receipt.item_id,
            "title": receipt.title,
            "kind": receipt.kind,
            "priority": receipt.priority,
            "reference": receipt.reference,
            "started_at": started,
            "duration_s": receipt.duration_s,
            "completed": receipt.completed,
            "resumed": receipt.resumed,
        },
    )
    if created and not entry.reference:
        _record_activity(cluster, entry)
    return entry


def _record_activity(cluster: LoudspeakerCluster, entry: PlayLog) -> None:
    """Loudspeaker programmes are a plan activity: one per residential group and day, reaching
    the households of the group the cluster covers."""
    from pctt.plans.actions import AutomaticActivity, record_automatic_activity

    group = cluster.area
    day = timezone.localdate(entry.started_at)
    try:
        record_automatic_activity(
            AutomaticActivity(
                source="broadcast",
                source_key=f"loudspeaker:{day:%Y%m%d}:{group.pk}",
                kind="loudspeaker",
                held_on=day,
                organisation_kind="peoples_committee",
                description=_("Loudspeaker programme, %(group)s, %(day)s")
                % {"group": group.name, "day": f"{day:%d/%m/%Y}"},
                participants=group.population or 0,
                households=group.households or 0,
                group_ids=[group.pk],
                form_code="F1",
            )
        )
    except Exception:
        # The play log is the record; a plan problem must not lose it.
        logger.exception("plan activity for play-log entry %s failed", entry.pk)
