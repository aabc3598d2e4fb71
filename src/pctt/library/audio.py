"""Spoken versions of guidance, Q&A and loudspeaker scripts (espeak-ng, offline).

The text goes through `pctt.core.tts.synthesise`, which normalises it for speech with
`pctt.core.speech.for_speech`. A fingerprint of the text decides whether to regenerate.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from pathlib import Path

from django.core.files import File

from pctt.core import tts
from pctt.library.models import LibraryPage, PageAudio

logger = logging.getLogger("pctt.library.audio")


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def ensure_audio(page: LibraryPage) -> PageAudio | None:
    """The page's audio, made now if missing or stale; None when the page has none or
    espeak-ng is absent (the page still works without it)."""
    if not page.has_audio:
        return None
    text = page.speech_text()[: tts.MAX_TEXT_CHARS]
    digest = fingerprint(text)
    existing = PageAudio.objects.filter(page=page).first()
    if existing is not None and existing.text_sha256 == digest and existing.file:
        return existing
    if not tts.tts_available():
        logger.warning("espeak-ng missing: no audio for page %s", page.pk)
        return existing
    with tempfile.TemporaryDirectory() as tmp:
        info = tts.synthesise(text, out_path=Path(tmp) / f"page-{page.pk}.mp3")
        audio = existing or PageAudio(page=page)
        if existing is not None and existing.file:
            existing.file.delete(save=False)
        with info.path.open("rb") as handle:
            audio.file.save(
                f"page-{page.pk}-{digest[:12]}{info.path.suffix}", File(handle), save=False
            )
        audio.text_sha256 = digest
        audio.duration_s = info.duration_s
        audio.save()
    return audio
