"""Offline Vietnamese speech synthesis with Debian's ``espeak-ng`` (and ``lame`` for MP3).

Pure Python, no Django import. The text goes through :func:`pctt.core.speech.for_speech` first,
then to ``espeak-ng`` on standard input (never through a shell or the command line, so a
message cannot become an option). The WAV is written next to the destination and moved into
place, so a reader never sees half a file.

Voices: ``vi`` (northern, the default), ``vi-vn-x-central``, ``vi-vn-x-south``
(``espeak-ng --voices=vi``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from pctt.core.speech import for_speech
from pctt.core.text import nfc

__all__ = [
    "MAX_TEXT_CHARS",
    "VIETNAMESE_VOICES",
    "AudioFormat",
    "AudioInfo",
    "TtsError",
    "TtsUnavailable",
    "synthesise",
    "tts_available",
]

AudioFormat = Literal["wav", "mp3"]

VIETNAMESE_VOICES: Final = ("vi", "vi-vn-x-central", "vi-vn-x-south")
# About 30 minutes of speech at 150 words a minute: longer than any loudspeaker programme.
MAX_TEXT_CHARS: Final = 20_000
MIN_SPEED_WPM: Final = 80  # espeak-ng's own limits
MAX_SPEED_WPM: Final = 450
_TIMEOUT_S: Final = 300.0
# An espeak-ng voice name: letters, digits and dashes, never starting with a dash.
_VOICE_NAME: Final = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]+)*")


class TtsError(RuntimeError):
    """Synthesis or encoding failed."""


class TtsUnavailable(TtsError):
    """``espeak-ng`` is not installed (Debian: ``apt install espeak-ng``)."""


@dataclass(frozen=True, slots=True)
class AudioInfo:
    path: Path  # the file written: ``.wav`` instead of ``.mp3`` when lame is missing
    duration_s: float
    format: AudioFormat


def tts_available() -> bool:
    return shutil.which("espeak-ng") is not None


def _check(text: str, voice: str, speed_wpm: int) -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"text is {len(text)} characters, more than {MAX_TEXT_CHARS}")
    if not _VOICE_NAME.fullmatch(voice):
        raise ValueError(f"not an espeak-ng voice name: {voice!r}")
    if not MIN_SPEED_WPM <= speed_wpm <= MAX_SPEED_WPM:
        raise ValueError(f"speed must be {MIN_SPEED_WPM}-{MAX_SPEED_WPM} words a minute")


def _run(command: list[str], *, stdin: bytes | None = None) -> None:
    try:
        result = subprocess.run(  # noqa: S603 - absolute program path, arguments checked
            command, input=stdin, capture_output=True, timeout=_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise TtsError(f"{Path(command[0]).name} took more than {_TIMEOUT_S:.0f} s") from error
    if result.returncode != 0:
        problem = result.stderr.decode("utf-8", "replace").strip()
        raise TtsError(f"{Path(command[0]).name} failed ({result.returncode}): {problem}")


def _wav_duration(path: Path) -> float:
    try:
        with wave.open(str(path), "rb") as audio:
            return audio.getnframes() / audio.getframerate()
    except (wave.Error, EOFError) as error:
        raise TtsError(f"espeak-ng wrote no readable WAV: {error}") from error


def _temporary(directory: Path, suffix: str) -> Path:
    handle, name = tempfile.mkstemp(dir=directory, prefix=".tts-", suffix=suffix)
    os.close(handle)
    return Path(name)


def synthesise(
    text: str,
    *,
    voice: str = "vi",
    speed_wpm: int = 150,
    out_path: Path,
    normalise: bool = True,
) -> AudioInfo:
    """Speak ``text`` into ``out_path`` and return what was written.

    ``out_path`` ending in ``.mp3`` asks for MP3: it is encoded with ``lame`` when installed,
    otherwise a WAV is written beside it (same name, ``.wav``) and ``format`` says ``"wav"``.
    Any other name gets a WAV. ``duration_s`` comes from the WAV header.

    Raises ``ValueError`` for empty or oversized text, an invalid voice name or speed,
    :class:`TtsUnavailable` when espeak-ng is missing and :class:`TtsError` when it fails.
    """
    _check(text, voice, speed_wpm)
    spoken = for_speech(text) if normalise else nfc(text)
    if not spoken.strip():
        raise ValueError("nothing to say: the text is empty")
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise TtsUnavailable("espeak-ng is not installed (apt install espeak-ng)")
    lame = shutil.which("lame") if out_path.suffix.lower() == ".mp3" else None
    target = out_path if lame or out_path.suffix.lower() != ".mp3" else out_path.with_suffix(".wav")
    wav = _temporary(out_path.parent, ".wav")
    encoded = _temporary(out_path.parent, ".mp3") if lame else None
    try:
        _run(
            [espeak, "-v", voice, "-s", str(speed_wpm), "-b", "1", "-w", str(wav), "--stdin"],
            stdin=spoken.encode("utf-8"),
        )
        duration_s = _wav_duration(wav)
        if lame and encoded:
            _run([lame, "--quiet", "-V", "6", str(wav), str(encoded)])
            encoded.replace(target)
        else:
            wav.replace(target)
    finally:
        for leftover in (wav, encoded):
            if leftover is not None:
                leftover.unlink(missing_ok=True)
    return AudioInfo(target, duration_s, "mp3" if lame else "wav")
