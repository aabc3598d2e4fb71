"""The library's home in the page tree: lists, filters, and peak-mode guidance first."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

PAGE_SIZE = 30


class LibraryIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels: ClassVar[list[Any]] = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types: ClassVar[list[str]] = ["wagtailcore.Page"]
    subpage_types: ClassVar[list[str]] = [
        "library.ArticlePage",
        "library.GuidancePage",
        "library.QuestionPage",
        "library.InfographicPage",
        "library.VideoPage",
        "library.NewsletterPage",
        "library.LoudspeakerScriptPage",
        "library.GoodDeedStoryPage",
        "library.PolicySummaryPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("library index")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from pctt.areas.models import WardSetting
        from pctt.library.browse import Filters, filtered_pages
        from pctt.library.peak import peak_guidance

        context = super().get_context(request, *args, **kwargs)
        filters = Filters.from_query(request.GET)
        context.update(
            ward_name=WardSetting.load(request_or_site=request).title,
            filters=filters,
            pages=filtered_pages(self, filters)[:PAGE_SIZE],
            peak=peak_guidance(),
        )
        return context
