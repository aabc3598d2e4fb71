"""Uploaded recordings: refused with a clear message when wrong, evened out in loudness when
right."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import numpy as np
import pytest

from pctt.loudspeakers import audio


def wav_bytes(samples: np.ndarray, rate: int = 16_000, channels: int = 1) -> bytes:
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    if channels == 2:
        pcm = np.repeat(pcm, 2)
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return out.getvalue()


def speech_like(seconds: float, amplitude: float, rate: int = 16_000) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 3 * t)  # syllables
    return amplitude * envelope * np.sin(2 * np.pi * 220 * t)


def test_a_quiet_and_a_loud_recording_come_out_at_the_same_loudness() -> None:
    quiet = audio.check_and_normalise(wav_bytes(speech_like(2, 0.02)), "quiet.wav")
    loud = audio.check_and_normalise(wav_bytes(speech_like(2, 0.9), channels=2), "loud.wav")
    assert quiet.gain_db > 20 and loud.gain_db < 0
    assert abs(quiet.loudness_after_dbfs - loud.loudness_after_dbfs) < 1.0
    assert abs(loud.loudness_after_dbfs - audio.TARGET_DBFS) < 1.5
    with wave.open(io.BytesIO(quiet.wav)) as w:
        assert (w.getnchannels(), w.getframerate()) == (1, audio.SAMPLE_RATE)
        peak = np.abs(np.frombuffer(w.readframes(w.getnframes()), "<i2")).max() / 32767
    assert peak <= 10 ** (audio.PEAK_LIMIT_DBFS / 20) + 0.01
    assert quiet.duration_s == pytest.approx(2.0, abs=0.05)


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"%PDF-1.4 not audio at all" * 10, "thong-bao.mp3", "type"),
        (b"MZ\x90\x00" + b"\x00" * 100, "virus.wav", "type"),
        (b"<html><script>alert(1)</script></html>", "a.wav", "type"),
        (b"", "empty.wav", "empty"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 20, "broken.wav", "corrupt"),
        (b"ID3\x03\x00\x00\x00\x00\x00\x00" + bytes(range(256)) * 8, "broken.mp3", "corrupt"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason(data: bytes, name: str, code: str) -> None:
    with pytest.raises(audio.AudioRefused) as refused:
        audio.check_and_normalise(data, name)
    assert refused.value.code == code
    assert str(refused.value)


def test_a_silent_recording_is_refused() -> None:
    with pytest.raises(audio.AudioRefused) as refused:
        audio.check_and_normalise(wav_bytes(np.zeros(32_000)), "silent.wav")
    assert refused.value.code == "silent"
    hiss = np.random.default_rng(1).normal(0, 0.0005, 32_000)
    with pytest.raises(audio.AudioRefused):
        audio.check_and_normalise(wav_bytes(hiss), "hiss.wav")


def test_a_huge_file_is_refused_before_decoding() -> None:
    with pytest.raises(audio.AudioRefused) as refused:
        audio.check_and_normalise(b"RIFF" + b"\x00" * 2000, "big.wav", max_bytes=1000)
    assert refused.value.code == "too_big"


def test_a_too_long_recording_is_refused() -> None:
    with pytest.raises(audio.AudioRefused) as refused:
        audio.check_and_normalise(wav_bytes(speech_like(3, 0.3)), "long.wav", max_seconds=2)
    assert refused.value.code == "too_long"


def test_a_name_that_lies_about_the_content_is_refused() -> None:
    with pytest.raises(audio.AudioRefused) as refused:
        audio.check_and_normalise(wav_bytes(speech_like(1, 0.3)), "bai-hat.mp3")
    assert refused.value.code == "type"


def test_a_real_mp3_is_decoded_when_one_is_at_hand() -> None:
    sample = Path("/usr/lib/google-cloud-sdk/platform/gsutil/gslib/tests/test_data/test.mp3")
    if not sample.exists():
        pytest.skip("no MP3 sample on this machine (lame is not installed to make one)")
    data = sample.read_bytes()
    samples = audio._decode(data, "mp3")  # decodes: neither refused as wrong type nor damaged
    assert len(samples) > 0
    if audio.loudness_dbfs(samples) < audio.SILENCE_DBFS:
        with pytest.raises(audio.AudioRefused) as refused:
            audio.check_and_normalise(data, "test.mp3")
        assert refused.value.code == "silent"
    else:
        assert audio.check_and_normalise(data, "test.mp3").format == "mp3"
