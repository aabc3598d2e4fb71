"""The radio officer's back-office screens: map, device settings, recordings, announcements,
programmes (versioned and audited), play log; and who may use them."""

from __future__ import annotations

import io
import wave
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pctt.accounts.models import AuditEntry
from pctt.loudspeakers import protocol
from pctt.loudspeakers.models import (
    Announcement,
    DeviceCommand,
    PlayLog,
    Programme,
    Recording,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(users: dict[str, Any], client: Client) -> Client:
    client.force_login(users["truyenthanh"])
    return client


def tone_wav(seconds: float = 1.5, amplitude: float = 0.05) -> bytes:
    t = np.arange(int(seconds * 16_000)) / 16_000
    pcm = (amplitude * np.sin(2 * np.pi * 300 * t) * 32767).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16_000)
        w.writeframes(pcm.tobytes())
    return out.getvalue()


def test_the_map_shows_each_cluster_with_its_coverage_and_state_colour(
    officer: Client, make_cluster: Callable[..., Any], cid: Callable[[str], str], groups: list[Any]
) -> None:
    from pctt.loudspeakers import actions

    points = [g.shape().representative_point() for g in groups[:3]]
    on = make_cluster(cid("on"), group=groups[0], lon=points[0].x, lat=points[0].y)
    off = make_cluster(cid("off"), group=groups[1], lon=points[1].x, lat=points[1].y)
    make_cluster(cid("new"), group=groups[2], lon=points[2].x, lat=points[2].y)
    actions.record_state(
        on.controller_id, protocol.State(online=True, playing="Bản tin", volume=80)
    )
    actions.record_state(off.controller_id, protocol.State(online=True))
    actions.record_state(off.controller_id, protocol.State(online=False))
    html = officer.get(reverse("loudspeakers_clusters")).content.decode()
    assert html.count('<circle class="coverage"') == 3
    assert f'class="cluster state-playing" data-controller="{on.controller_id}"' in html
    assert f'class="cluster state-offline" data-controller="{off.controller_id}"' in html
    assert "state-unknown" in html
    assert (
        "Bản tin" in html
        and "http" not in html.split('<svg class="loudspeaker-map"')[1].split("</svg>")[0]
    )


def test_an_announcement_from_a_phone_goes_to_the_chosen_clusters_only(
    officer: Client, make_cluster: Callable[..., Any], cid: Callable[[str], str]
) -> None:
    chosen, other = make_cluster(cid("a")), make_cluster(cid("b"))
    response = officer.post(
        reverse("loudspeakers_announce"),
        {
            "text": "Chiều nay 15 giờ họp tổ dân phố tại nhà văn hoá.",
            "voice": "vi",
            "clusters": [chosen.pk],
        },
    )
    assert response.status_code == 302
    announcement = Announcement.objects.get()
    command = DeviceCommand.objects.get()
    assert command.cluster == chosen and command.kind == "phat"
    item = protocol.parse_item(command.payload)
    assert item.priority == "normal" and item.kind == "announcement" and item.duration_s > 1
    assert not DeviceCommand.objects.filter(cluster=other).exists()
    assert AuditEntry.objects.filter(
        action="pctt.loudspeakers.announce", object_id=str(announcement.pk)
    ).exists()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"text": "", "voice": "vi"}, "recording"),
        ({"text": "x" * 2001, "voice": "vi"}, "2000"),
        ({"text": "Họp tổ", "voice": "en-us"}, "voice"),
    ],
)
def test_bad_announcements_are_refused_and_nothing_is_sent(
    officer: Client,
    make_cluster: Callable[..., Any],
    cid: Callable[[str], str],
    data: dict[str, Any],
    error: str,
) -> None:
    cluster = make_cluster(cid("x"))
    response = officer.post(reverse("loudspeakers_announce"), {**data, "clusters": [cluster.pk]})
    assert response.status_code == 200
    assert (
        error in response.content.decode() or "Select a valid choice" in response.content.decode()
    )
    assert not DeviceCommand.objects.exists()


def test_people_without_the_role_cannot_announce_or_change_devices(
    client: Client,
    users: dict[str, Any],
    make_cluster: Callable[..., Any],
    cid: Callable[[str], str],
) -> None:
    cluster = make_cluster(cid("z"))
    client.force_login(users["captren"])  # the viewer role sees, never sends
    assert client.get(reverse("loudspeakers_clusters")).status_code == 200
    announce = client.post(
        reverse("loudspeakers_announce"), {"text": "x", "clusters": [cluster.pk]}
    )
    device = client.post(
        reverse("loudspeakers_device", args=[cluster.pk]), {"coverage_radius_m": 1}
    )
    for refused in (announce, device):  # Wagtail turns "permission denied" into a redirect home
        assert (refused.status_code, refused.get("Location")) in ((403, None), (302, "/admin/"))
    cluster.device.refresh_from_db()
    assert cluster.device.coverage_radius_m == 300
    assert not DeviceCommand.objects.exists()


def test_device_settings_are_checked_and_audited(
    officer: Client, make_cluster: Callable[..., Any], cid: Callable[[str], str]
) -> None:
    cluster = make_cluster(cid("s"))
    url = reverse("loudspeakers_device", args=[cluster.pk])
    bad = officer.post(
        url, {"lon": "200", "lat": "22", "coverage_radius_m": 300, "heartbeat_s": 30}
    )
    assert bad.status_code == 200 and "Kinh độ" in bad.content.decode()
    good = officer.post(
        url,
        {
            "lon": "104.0",
            "lat": "22.4",
            "coverage_radius_m": 450,
            "heartbeat_s": 20,
            "high_risk": "on",
        },
    )
    assert good.status_code == 302
    cluster.device.refresh_from_db()
    assert (cluster.device.coverage_radius_m, cluster.device.high_risk) == (450, True)
    assert AuditEntry.objects.filter(action="pctt.loudspeakers.configure").count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bai.exe", b"MZ" + b"\x00" * 200, "Chỉ nhận bản ghi âm MP3 và WAV"),
        ("bai.wav", b"RIFF\x10\x00\x00\x00WAVEjunk", "bị hỏng"),
        ("lang.wav", None, "im lặng"),
    ],
)
def test_bad_uploads_are_refused_with_a_clear_message(
    officer: Client, name: str, content: bytes | None, message: str
) -> None:
    if content is None:
        content = tone_wav(amplitude=0.0)
    upload = SimpleUploadedFile(name, content, content_type="audio/wav")
    response = officer.post(reverse("loudspeakers_recordings"), {"title": "Thử", "file": upload})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Recording.objects.exists()


def test_a_huge_upload_is_refused(officer: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None
    from pctt.loudspeakers import audio

    upload = SimpleUploadedFile("to.wav", b"RIFF" + b"\x00" * (audio.MAX_BYTES + 1))
    response = officer.post(reverse("loudspeakers_recordings"), {"title": "To", "file": upload})
    assert "Tệp quá lớn" in response.content.decode()
    assert not Recording.objects.exists()


def test_a_good_recording_is_normalised_and_saved(officer: Client) -> None:
    upload = SimpleUploadedFile("thong-bao.wav", tone_wav(), content_type="audio/wav")
    response = officer.post(
        reverse("loudspeakers_recordings"), {"title": "Thông báo", "file": upload}
    )
    assert response.status_code == 302
    recording = Recording.objects.get()
    assert recording.gain_db > 5 and recording.duration_s == pytest.approx(1.5, abs=0.05)
    with recording.file.open("rb") as stored:
        assert stored.read(4) == b"RIFF"


def test_a_programme_built_in_the_back_office_is_versioned_and_audited(
    officer: Client,
    make_cluster: Callable[..., Any],
    cid: Callable[[str], str],
    script_page: Callable[..., Any],
) -> None:
    clusters = [make_cluster(cid("p1")), make_cluster(cid("p2"))]
    page = script_page()
    data = {
        "name": "Chương trình tuần",
        "clusters": [c.pk for c in clusters],
        "weekdays": ["0", "2", "4"],
        "active": "on",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "1000",
    }
    for index, (slot, kind) in enumerate([("05:30", "script"), ("17:00", "relay")]):
        data.update(
            {
                f"items-{index}-slot": slot,
                f"items-{index}-position": "1",
                f"items-{index}-kind": kind,
                f"items-{index}-script": str(page.pk) if kind == "script" else "",
                f"items-{index}-voice": "vi-vn-x-central",
                f"items-{index}-speed_wpm": "140",
                f"items-{index}-stream_url": "https://radio.example.org/tinh.mp3"
                if kind == "relay"
                else "",
                f"items-{index}-relay_minutes": "30" if kind == "relay" else "0",
                f"items-{index}-priority": "normal",
            }
        )
    response = officer.post(reverse("loudspeakers_programme:add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    programme = Programme.objects.get()
    assert programme.weekdays == [0, 2, 4] and programme.version == 1
    assert programme.items.count() == 2 and set(programme.clusters.all()) == set(clusters)
    revision = programme.revisions.get()
    assert [i["slot"] for i in revision.snapshot["items"]] == ["05:30:00", "17:00:00"]
    assert AuditEntry.objects.filter(action="pctt.loudspeakers.programme").count() == 1

    # A relay without its stream address is refused.
    data["name"] = "Thiếu địa chỉ"
    data["items-1-stream_url"] = ""
    refused = officer.post(reverse("loudspeakers_programme:add"), data)
    assert refused.status_code == 200 and Programme.objects.count() == 1


def test_the_play_log_lists_what_was_played_and_the_warnings_confirmed(
    officer: Client, make_cluster: Callable[..., Any], cid: Callable[[str], str]
) -> None:
    from pctt.loudspeakers import actions

    cluster = make_cluster(cid("l"))
    now = timezone.now().timestamp()
    for n, reference in enumerate(["", "alert:5:v6"]):
        actions.record_receipt(
            cluster.controller_id,
            protocol.Receipt(
                id=f"r{n}",
                event="played",
                item_id=f"i{n}",
                title=f"Mục {n}",
                reference=reference,
                started_at=now,
                duration_s=12.5,
                priority="emergency" if reference else "normal",
            ),
        )
    actions.record_receipt(  # the same receipt again (redelivered): logged once
        cluster.controller_id,
        protocol.Receipt(id="r0", event="played", item_id="i0", started_at=now, duration_s=12.5),
    )
    assert PlayLog.objects.count() == 2
    html = officer.get(reverse("loudspeakers_playlog")).content.decode()
    assert html.count('class="play-row"') == 2 and "?warning=alert%3A5%3Av6" in html
