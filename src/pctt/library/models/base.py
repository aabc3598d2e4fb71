"""What every library page carries: themes, hazards, audiences, areas; text for search/speech."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.db import models
from django.http import HttpRequest
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page

from pctt.library.models.taxonomy import Audience, HazardType, Theme


def plain(html: str) -> str:
    """Rich text as plain text for search and speech (tags dropped, paragraphs kept apart)."""
    spaced = html.replace("</p>", "</p>\n").replace("<br/>", "\n").replace("</li>", "</li>\n")
    return strip_tags(spaced).replace("&nbsp;", " ").strip()


class LibraryPage(Page):
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("One or two sentences shown in lists and results.")
    )
    themes = ParentalManyToManyField(
        Theme, verbose_name=_("content themes"), related_name="%(class)s_pages"
    )
    hazards = ParentalManyToManyField(
        HazardType, verbose_name=_("hazard types"), blank=True, related_name="%(class)s_pages"
    )
    audiences = ParentalManyToManyField(
        Audience, verbose_name=_("audiences"), blank=True, related_name="%(class)s_pages"
    )
    areas = ParentalManyToManyField(
        "areas.AdminUnit", verbose_name=_("areas"), blank=True, related_name="%(class)s_pages"
    )

    parent_page_types: ClassVar[list[str]] = ["library.LibraryIndexPage"]
    subpage_types: ClassVar[list[str]] = []
    # Page types whose text is also read aloud (audio regenerated on publish).
    has_audio: ClassVar[bool] = False

    taxonomy_panels: ClassVar[list[Any]] = [
        MultiFieldPanel(
            [
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("hazards", widget=forms.CheckboxSelectMultiple),
                FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
                FieldPanel("areas"),
            ],
            heading=_("Plan themes, hazards, audiences and areas"),
        )
    ]

    class Meta:
        abstract = True

    # -- text for search, speech and the assistant; each page type adds its own fields --
    def body_text(self) -> str:
        return self.summary

    def passages(self) -> list[str]:
        """Self-contained pieces of approved text the assistant may quote."""
        return [p for p in (s.strip() for s in self.body_text().split("\n")) if len(p) > 20]

    def speech_text(self) -> str:
        return f"{self.title}.\n{self.body_text()}"

    def search_tags(self) -> list[str]:
        tags = [f"kind:{self._meta.model_name}"]
        tags += [f"theme:{t.code.lower()}" for t in self.themes.all()]
        tags += [f"hazard:{h.code}" for h in self.hazards.all()]
        tags += [f"audience:{a.code}" for a in self.audiences.all()]
        return tags

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from pctt.areas.models import WardSetting

        context = super().get_context(request, *args, **kwargs)
        context["ward_name"] = WardSetting.load(request_or_site=request).title
        return context
