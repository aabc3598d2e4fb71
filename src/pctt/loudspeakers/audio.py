"""Uploaded recordings: checked (type, size, length, silence, corruption) and normalised in
loudness. Plain Python with numpy and miniaudio, no Django import.

Loudness is measured as gated RMS over 400 ms blocks (the gating of ITU-R BS.1770, without its
K-weighting filter): close enough to even out a quiet phone recording and a loud studio file on
the same loudspeakers. Gain is limited so that no sample peaks above -1 dBFS.
"""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass
from typing import Final

import numpy as np

MAX_BYTES: Final = 30 * 1024 * 1024
MAX_SECONDS: Final = 30 * 60
MIN_SECONDS: Final = 0.5
SAMPLE_RATE: Final = 22_050  # mono speech for horn loudspeakers
TARGET_DBFS: Final = -16.0
PEAK_LIMIT_DBFS: Final = -1.0
SILENCE_DBFS: Final = -55.0
_BLOCK_S: Final = 0.4
_ABSOLUTE_GATE_DBFS: Final = -70.0


class AudioRefused(ValueError):
    """The file is not a recording we can play; the message says why, for the person."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Checked:
    wav: bytes  # normalised, 16-bit mono PCM WAV
    duration_s: float
    format: str  # "mp3" | "wav"
    loudness_before_dbfs: float
    loudness_after_dbfs: float
    gain_db: float


def sniff(data: bytes) -> str | None:
    """ "wav", "mp3" or None, from the first bytes (never from the file name alone)."""
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "wav"
    if data[:3] == b"ID3":
        return "mp3"
    if len(data) >= 2 and data[0] == 0xFF and (data[1] & 0xE0) == 0xE0 and (data[1] & 0x06):
        return "mp3"  # an MPEG audio frame header, layer I-III
    return None


def _db(value: float) -> float:
    return float(20 * np.log10(max(value, 1e-12)))


def loudness_dbfs(samples: np.ndarray, rate: int = SAMPLE_RATE) -> float:
    """Gated RMS level of float samples in [-1, 1], in dBFS (-inf-like -240 for silence)."""
    block = max(1, int(rate * _BLOCK_S))
    usable = samples[: len(samples) - len(samples) % block] if len(samples) >= block else samples
    if usable.size == 0:
        return -240.0
    blocks = usable.reshape(-1, min(block, usable.size))
    power = np.mean(blocks.astype(np.float64) ** 2, axis=1)
    levels = 10 * np.log10(np.maximum(power, 1e-24))
    loud = power[levels > _ABSOLUTE_GATE_DBFS]
    if loud.size == 0:
        return -240.0
    relative_gate = 10 * np.log10(np.mean(loud)) - 10
    gated = power[levels > max(_ABSOLUTE_GATE_DBFS, relative_gate)]
    return float(10 * np.log10(np.mean(gated if gated.size else loud)))


def _decode(data: bytes, kind: str) -> np.ndarray:
    import miniaudio

    try:
        decoded = miniaudio.decode(
            data,
            output_format=miniaudio.SampleFormat.FLOAT32,
            nchannels=1,
            sample_rate=SAMPLE_RATE,
        )
    except (miniaudio.DecodeError, miniaudio.MiniaudioError) as exc:
        raise AudioRefused(
            "corrupt", f"The {kind.upper()} file is damaged and cannot be decoded."
        ) from exc
    samples = np.asarray(decoded.samples, dtype=np.float32)
    if not np.all(np.isfinite(samples)):
        raise AudioRefused("corrupt", f"The {kind.upper()} file is damaged and cannot be decoded.")
    return samples


def encode_wav(samples: np.ndarray, rate: int = SAMPLE_RATE) -> bytes:
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm.tobytes())
    return out.getvalue()


def check_and_normalise(
    data: bytes, filename: str = "", *, max_bytes: int = MAX_BYTES, max_seconds: float = MAX_SECONDS
) -> Checked:
    """Refuse what cannot play well (``AudioRefused``); return a normalised WAV otherwise."""
    if len(data) > max_bytes:
        raise AudioRefused(
            "too_big",
            f"The file is {len(data) / 1_048_576:.1f} MB; at most "
            f"{max_bytes / 1_048_576:.0f} MB is accepted.",
        )
    if not data:
        raise AudioRefused("empty", "The file is empty.")
    kind = sniff(data)
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if kind is None or (extension and extension not in ("mp3", "wav")):
        raise AudioRefused("type", "Only MP3 and WAV recordings are accepted.")
    if extension and extension != kind:
        raise AudioRefused("type", f"The file is named .{extension} but holds {kind.upper()}.")
    samples = _decode(data, kind)
    duration = len(samples) / SAMPLE_RATE
    if duration < MIN_SECONDS:
        raise AudioRefused("corrupt", "The recording is too short or damaged: no sound decoded.")
    if duration > max_seconds:
        raise AudioRefused(
            "too_long",
            f"The recording lasts {duration / 60:.0f} minutes; at most "
            f"{max_seconds / 60:.0f} minutes is accepted.",
        )
    before = loudness_dbfs(samples)
    if before < SILENCE_DBFS:
        raise AudioRefused("silent", "The recording is silent: nothing would be heard.")
    peak = float(np.max(np.abs(samples)))
    gain_db = min(TARGET_DBFS - before, PEAK_LIMIT_DBFS - _db(peak))
    normalised = samples * np.float32(10 ** (gain_db / 20))
    return Checked(
        wav=encode_wav(normalised),
        duration_s=round(duration, 2),
        format=kind,
        loudness_before_dbfs=round(before, 1),
        loudness_after_dbfs=round(loudness_dbfs(normalised), 1),
        gain_db=round(gain_db, 1),
    )
