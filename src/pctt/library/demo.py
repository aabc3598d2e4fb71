"""Demo content for the library (called by `pctt demo` through `load(ward)`; idempotent)."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.models import Page

from pctt.accounts.audit import log_action
from pctt.areas.models import AdminUnit
from pctt.core.text import fold
from pctt.library.demo_content import PAGES
from pctt.library.indexing import index_pages
from pctt.library.models import (
    ArticlePage,
    Audience,
    GoodDeedStoryPage,
    GuidancePage,
    HazardType,
    InfographicPage,
    LibraryIndexPage,
    LibraryPage,
    LoudspeakerScriptPage,
    NewsletterPage,
    PolicySummaryPage,
    QuestionPage,
    Theme,
    VideoPage,
)
from pctt.library.setup import ensure_library

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
PUBLISHER = "duyetnoidung"  # the demo content reviewer of the Party Building Board


def slug_for(title: str) -> str:
    return fold(title).replace(" ", "-")[:80]


def _paragraphs(texts: list[str]) -> str:
    from django.utils.html import escape

    return "".join(f"<p>{escape(text)}</p>" for text in texts)


def _card_image(title: str, lines: list[str]) -> Image:
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont

    canvas = PILImage.new("RGB", (800, 120 + 70 * len(lines)), "#fffbe6")
    draw = ImageDraw.Draw(canvas)
    font: Any = ImageFont.truetype(str(FONT), 40) if FONT.exists() else ImageFont.load_default()
    for number, line in enumerate(lines):
        draw.text(
            (40, 40 + 70 * number), line, fill="#b00020" if number == 0 else "#222", font=font
        )
    buffer = io.BytesIO()
    canvas.save(buffer, "PNG")
    image = Image(title=title)
    image.file = ImageFile(buffer, name=f"{slug_for(title)}.png")
    image.save()
    return image


def _page(entry: dict[str, Any]) -> LibraryPage:
    common = {
        "title": entry["title"],
        "slug": slug_for(entry["title"]),
        "summary": entry.get("summary", ""),
    }
    kind = entry["type"]
    if kind == "guidance":
        steps = [("step", {"title": t, "detail": d}) for t, d in entry["steps"]]
        return GuidancePage(**common, phase=entry["phase"], steps=steps)
    if kind == "question":
        return QuestionPage(
            **common, question=entry["question"], answer=_paragraphs(entry["answer"])
        )
    if kind == "article":
        return ArticlePage(**common, body=_paragraphs(entry["body"]))
    if kind == "policy":
        issued = entry["issued_on"]
        return PolicySummaryPage(
            **common,
            document_number=entry["document_number"],
            issued_by=entry["issued_by"],
            issued_on=datetime.date.fromisoformat(issued) if issued else None,
            body=_paragraphs(entry["body"]),
        )
    if kind == "story":
        return GoodDeedStoryPage(
            **common,
            people=entry["people"],
            place=entry["place"],
            event_date=datetime.date.fromisoformat(entry["event_date"]),
            body=_paragraphs(entry["body"]),
        )
    if kind == "loudspeaker":
        return LoudspeakerScriptPage(
            **common,
            programme_text=entry["programme_text"],
            target_duration_s=entry["target_duration_s"],
        )
    if kind == "infographic":
        return InfographicPage(
            **common,
            image=_card_image(entry["title"], entry["lines"]),
            alt_text=entry["alt_text"],
            source=entry["source"],
        )
    if kind == "video":
        return VideoPage(**common, video_url=entry["video_url"], transcript=entry["transcript"])
    raise ValueError(f"unknown demo page type {kind}")


def _publish(
    index: LibraryIndexPage, page: LibraryPage, entry: dict[str, Any], ward: AdminUnit
) -> None:
    """Create the page live with one revision, as if approved (the demo skips the workflow;
    the page is indexed in bulk by `load`)."""
    publisher = get_user_model().objects.filter(username=PUBLISHER).first()
    page.owner = publisher
    page.live = True
    page.first_published_at = page.last_published_at = timezone.now()
    page.themes.set(Theme.objects.filter(code__in=entry["themes"]))
    page.hazards.set(HazardType.objects.filter(code__in=entry["hazards"]))
    page.audiences.set(Audience.objects.filter(code__in=entry["audiences"]))
    page.areas.set([ward])
    index.add_child(instance=page)
    revision = page.save_revision(user=publisher, log_action=False, clean=False)
    Page.objects.filter(pk=page.pk).update(live_revision=revision, has_unpublished_changes=False)


def load(ward: AdminUnit) -> None:
    index = ensure_library()
    created_before = set(index.get_children().values_list("pk", flat=True))
    existing = set(index.get_children().values_list("slug", flat=True))
    for entry in PAGES:
        if slug_for(entry["title"]) not in existing:
            _publish(index, _page(entry), entry, ward)
    newsletter_title = "Bản tin phòng, chống thiên tai số 1 năm 2026"
    if slug_for(newsletter_title) not in existing:
        items = [p for p in index.get_children().live().specific() if isinstance(p, GuidancePage)]
        newsletter = NewsletterPage(
            title=newsletter_title,
            slug=slug_for(newsletter_title),
            summary="Những kỹ năng cần nhớ trước mùa mưa bão, in phát cho các tổ dân phố.",
            issue_number=1,
            issue_date=datetime.date(2026, 5, 15),
            intro="Bản tin do Ban Xây dựng Đảng phối hợp Ủy ban nhân dân phường biên soạn.",
            items=[("item", page) for page in items[:5]],
        )
        entry = {"themes": ["C1", "C4"], "hazards": ["storm", "flood"], "audiences": []}
        _publish(index, newsletter, entry, ward)
    new_pages = index.get_children().exclude(pk__in=created_before).specific()
    if new_pages:
        index_pages([p for p in new_pages if isinstance(p, LibraryPage)])
        log_action("library.demo_loaded", user=None, data={"pages": len(new_pages)})
