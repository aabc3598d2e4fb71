"""Offline speech synthesis (pctt.core.tts) with the real espeak-ng.

Skipped only on a developer machine without espeak-ng; under CI (which installs it) a missing
binary fails the tests instead.
"""

from __future__ import annotations

import os
import shutil
import wave
from pathlib import Path

import pytest

from pctt.core.tts import MAX_TEXT_CHARS, TtsError, TtsUnavailable, synthesise

UNDER_CI = os.environ.get("CI", "").lower() == "true"
SENTENCE = "UBND phường thông báo: mực nước sông lúc 7h là 10,52 m, trên BĐ2."

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None and not UNDER_CI,
    reason="espeak-ng is not installed (apt install espeak-ng)",
)


def _only_on_path(monkeypatch: pytest.MonkeyPatch, directory: Path, *programs: str) -> None:
    """PATH holds ``directory`` plus links to the named programs, nothing else."""
    for program in programs:
        found = shutil.which(program)
        assert found is not None, f"{program} missing"
        (directory / program).symlink_to(found)
    monkeypatch.setenv("PATH", str(directory))


@needs_espeak
@pytest.mark.parametrize("voice", ["vi", "vi-vn-x-central", "vi-vn-x-south"])
def test_synthesises_a_vietnamese_sentence(tmp_path: Path, voice: str) -> None:
    info = synthesise(SENTENCE, voice=voice, out_path=tmp_path / "canh-bao.wav")
    assert (info.path, info.format) == (tmp_path / "canh-bao.wav", "wav")
    assert 0.5 < info.duration_s < 30
    with wave.open(str(info.path), "rb") as audio:
        assert audio.getnframes() / audio.getframerate() == pytest.approx(info.duration_s)
    assert [p.name for p in tmp_path.iterdir()] == ["canh-bao.wav"]  # no temporary left behind


@needs_espeak
def test_normalising_says_more_than_the_digits(tmp_path: Path) -> None:
    text = "Lượng mưa 200-300mm ngày 15/9/2026"
    spoken = synthesise(text, out_path=tmp_path / "a.wav")
    raw = synthesise(text, out_path=tmp_path / "b.wav", normalise=False)
    assert spoken.duration_s > raw.duration_s


@needs_espeak
def test_slower_speech_lasts_longer(tmp_path: Path) -> None:
    slow = synthesise(SENTENCE, speed_wpm=100, out_path=tmp_path / "slow.wav")
    fast = synthesise(SENTENCE, speed_wpm=250, out_path=tmp_path / "fast.wav")
    assert slow.duration_s > fast.duration_s


@needs_espeak
def test_text_that_looks_like_an_option_is_spoken(tmp_path: Path) -> None:
    info = synthesise("--help -w /etc/passwd", out_path=tmp_path / "x.wav", normalise=False)
    assert info.duration_s > 0.5


@needs_espeak
def test_mp3_without_lame_falls_back_to_wav(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _only_on_path(monkeypatch, bin_dir, "espeak-ng")
    info = synthesise(SENTENCE, out_path=tmp_path / "canh-bao.mp3")
    assert (info.path, info.format) == (tmp_path / "canh-bao.wav", "wav")
    assert info.path.exists()
    assert not (tmp_path / "canh-bao.mp3").exists()


@needs_espeak
def test_mp3_with_lame(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _only_on_path(monkeypatch, bin_dir, "espeak-ng", "cp")
    # A stand-in for lame that records its arguments and copies the WAV to the output.
    fake_lame = bin_dir / "lame"
    fake_lame.write_text('#!/bin/sh\necho "$@" > "${0%/*}/args"\ncp "$4" "$5"\n')
    fake_lame.chmod(0o755)
    info = synthesise(SENTENCE, out_path=tmp_path / "canh-bao.mp3")
    assert (info.path, info.format) == (tmp_path / "canh-bao.mp3", "mp3")
    assert info.path.exists()
    assert (bin_dir / "args").read_text().startswith("--quiet -V 6 ")


def test_missing_espeak_raises_tts_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(TtsUnavailable, match="apt install espeak-ng"):
        synthesise(SENTENCE, out_path=tmp_path / "x.wav")
    assert list(tmp_path.iterdir()) == []


@needs_espeak
def test_failing_espeak_raises_tts_error(tmp_path: Path) -> None:
    with pytest.raises(TtsError, match="espeak-ng"):
        synthesise(SENTENCE, voice="zz-no-such-voice", out_path=tmp_path / "x.wav")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("text", "options", "message"),
    [
        ("a" * (MAX_TEXT_CHARS + 1), {}, "more than"),
        ("   ", {}, "empty"),
        ("Xin chào", {"voice": "-v en"}, "voice"),
        ("Xin chào", {"speed_wpm": 20}, "speed"),
    ],
)
def test_rejected_input(
    tmp_path: Path, text: str, options: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        synthesise(text, out_path=tmp_path / "x.wav", **options)  # type: ignore[arg-type]
