"""The radio officer records an announcement in the browser (Chromium's fake microphone,
which plays a beep) and the server accepts the WAV the page made; without JavaScript the
file input still takes a recording."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.browser.conftest import CHROMIUM_FLAGS, _chromium_path
from tests.browser.test_admin_map import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAKE_MICROPHONE = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """This module's own Chromium: the shared one has no fake microphone."""
    from playwright.sync_api import sync_playwright

    executable = _chromium_path()
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_FLAGS + FAKE_MICROPHONE
            )
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def _officer_page(
    browser: Any, live_server: Any, var_dir: Path, **options: Any
) -> tuple[Any, Any, list[str]]:
    logins = json.loads((var_dir / "demo-logins.json").read_text())
    options.setdefault("viewport", {"width": 375, "height": 800})  # a phone
    context = browser.new_context(locale="vi-VN", **options)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda m: problems.append(m.text) if m.type == "error" else None,
    )
    _log_in(page, live_server.url, "truyenthanh", logins["truyenthanh"])
    page.goto(f"{live_server.url}/admin/loudspeakers/announce/")
    return context, page, problems


def test_a_recording_made_in_the_browser_is_sent_as_wav_and_normalised(
    browser: Any, live_server: Any, demo_ward: Any, var_dir: Path
) -> None:
    from playwright.sync_api import expect

    from pctt.dispatch.models import LoudspeakerCluster
    from pctt.loudspeakers import audio, demo
    from pctt.loudspeakers.models import Announcement, DeviceCommand, Recording

    demo.load(demo_ward)
    cluster = LoudspeakerCluster.objects.order_by("controller_id").first()
    assert cluster is not None
    context, page, problems = _officer_page(browser, live_server, var_dir)
    try:
        page.wait_for_selector("#announce-recorder:not([hidden])")
        page.click("#record-start")
        page.wait_for_selector("#record-stop:not([disabled])")
        # Record until the page has counted at least 1 s of sound from the microphone.
        expect(page.locator("#record-status")).to_contain_text("0:01", timeout=15_000)
        page.wait_for_timeout(300)
        page.click("#record-stop")
        page.wait_for_selector("#record-preview:not([hidden])")
        name, kind, size = page.eval_on_selector(
            "input[name=recording_file]",
            "e => [e.files[0].name, e.files[0].type, e.files[0].size]",
        )
        assert name.endswith(".wav") and kind == "audio/wav"
        assert 44 + 16_000 * 2 <= size < 44 + 16_000 * 2 * 5  # 16 kHz 16-bit mono, 1–5 s

        # Sending without a cluster is stopped in the page, so the recording is not lost.
        page.click("form.announce button[type=submit]")
        asked = page.get_attribute("#announce-recorder", "data-no-clusters")
        assert asked and page.locator("#record-status").inner_text() == asked
        assert page.eval_on_selector("input[name=recording_file]", "e => e.files.length") == 1
        assert not Recording.objects.exists()

        page.check(f"input[name=clusters][value='{cluster.pk}']")
        page.click("form.announce button[type=submit]")
        page.wait_for_url("**/admin/loudspeakers/announce/")
        page.wait_for_selector(".messages .success, .messages li")
    finally:
        context.close()
    recording = Recording.objects.get()
    assert recording.original_format == "wav"
    assert 1.0 <= recording.duration_s < 5
    assert recording.loudness_before_dbfs > audio.SILENCE_DBFS  # the fake device's beep
    with recording.file.open("rb") as stored:
        data = stored.read()
    assert audio.sniff(data) == "wav"
    assert audio.loudness_dbfs(_samples(data)) == pytest.approx(
        recording.loudness_before_dbfs + recording.gain_db, abs=1.0
    )
    announcement = Announcement.objects.get()
    assert announcement.recording == recording
    assert list(announcement.clusters.all()) == [cluster]
    assert DeviceCommand.objects.filter(kind="phat").count() == 1
    assert problems == []


def test_without_javascript_the_file_input_still_takes_a_recording(
    browser: Any, live_server: Any, demo_ward: Any, var_dir: Path, tmp_path: Path
) -> None:
    from pctt.dispatch.models import LoudspeakerCluster
    from pctt.loudspeakers import audio, demo
    from pctt.loudspeakers.models import Recording

    demo.load(demo_ward)
    cluster = LoudspeakerCluster.objects.order_by("controller_id").first()
    assert cluster is not None
    t = np.arange(int(audio.SAMPLE_RATE * 1.5)) / audio.SAMPLE_RATE
    wav = tmp_path / "thong-bao.wav"
    wav.write_bytes(audio.encode_wav(0.1 * np.sin(2 * np.pi * 440 * t)))
    context, page, _problems = _officer_page(
        browser,
        live_server,
        var_dir,
        java_script_enabled=False,
        # Without JavaScript Wagtail's sidebar cannot fold away: a screen wide enough for both.
        viewport={"width": 1280, "height": 900},
    )
    try:
        assert not page.is_visible("#announce-recorder")
        page.set_input_files("input[name=recording_file]", str(wav))
        page.check(f"input[name=clusters][value='{cluster.pk}']")
        page.click("form.announce button[type=submit]")
        page.wait_for_url("**/admin/loudspeakers/announce/")
    finally:
        context.close()
    assert Recording.objects.get().original_name == "thong-bao.wav"


def _samples(data: bytes) -> np.ndarray:
    import io
    import wave

    with wave.open(io.BytesIO(data)) as stored:
        frames = stored.readframes(stored.getnframes())
    return np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32767
