"""The library's page types (issue 7, item 1). Each says what text it offers to search,
speech and the assistant; Wagtail supplies drafts, revisions, workflow and scheduling."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from pctt.library.models.base import LibraryPage, plain


class ArticlePage(LibraryPage):
    """News from the ward (C1–C7)."""

    body = RichTextField(_("body"))

    content_panels: ClassVar[list[Any]] = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        *LibraryPage.taxonomy_panels,
    ]

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def body_text(self) -> str:
        return f"{self.summary}\n{plain(self.body)}"


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("step"), max_length=200)
    detail = blocks.TextBlock(label=_("detail"), required=False)

    class Meta:
        icon = "list-ol"


class GuidancePage(LibraryPage):
    """A skill in numbered steps for one hazard and phase (C4)."""

    class Phase(models.TextChoices):
        BEFORE = "before", _("before")
        DURING = "during", _("during")
        AFTER = "after", _("after")

    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices)
    steps = StreamField([("step", StepBlock())], verbose_name=_("steps"))

    content_panels: ClassVar[list[Any]] = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("phase"),
        FieldPanel("steps"),
        *LibraryPage.taxonomy_panels,
    ]
    has_audio = True

    class Meta:
        verbose_name = _("guidance")
        verbose_name_plural = _("guidance")

    def step_texts(self) -> list[str]:
        return [
            " ".join(filter(None, [block.value["title"], block.value["detail"]]))
            for block in self.steps
        ]

    def body_text(self) -> str:
        return "\n".join([self.summary, *self.step_texts()])

    def speech_text(self) -> str:
        steps = [f"Bước {n}: {text}" for n, text in enumerate(self.step_texts(), start=1)]
        return "\n".join([f"{self.title}.", self.summary, *steps])


class QuestionPage(LibraryPage):
    """One question and its approved answer (F3: question-and-answer documents)."""

    question = models.TextField(_("question as residents ask it"))
    answer = RichTextField(_("answer"))

    content_panels: ClassVar[list[Any]] = [
        *Page.content_panels,
        FieldPanel("question"),
        FieldPanel("answer"),
        FieldPanel("summary"),
        *LibraryPage.taxonomy_panels,
    ]
    has_audio = True

    class Meta:
        verbose_name = _("question and answer")
        verbose_name_plural = _("questions and answers")

    def body_text(self) -> str:
        return f"{self.question}\n{plain(self.answer)}"

    def speech_text(self) -> str:
        return f"Hỏi: {self.question}\nĐáp: {plain(self.answer)}"


class InfographicPage(LibraryPage):
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    alt_text = models.CharField(
        _("alternative text"),
        max_length=500,
        help_text=_("What the image says, for people who cannot see it."),
    )
    source = models.CharField(_("source"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    content_panels: ClassVar[list[Any]] = [
        *Page.content_panels,
        FieldPanel("image"),
        FieldPanel("alt_text"),
        FieldPanel("source"),
        FieldPanel("summary"),
        FieldPanel("description"),
        *LibraryPage.taxonomy_panels,
    ]

    class Meta:
        verbose_name = _("infographic")
        verbose_name_plural = _("infographics")

    def body_text(self) -> str:
        return "\n".join([self.summary, self.alt_text, self.description])


class VideoPage(LibraryPage):
    video_file = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("video file"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    video_url = models.URLField(_("link to the video"), blank=True)
    poster = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("poster image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    captions = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("captions (WebVTT)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    transcript = models.TextField(_("transcript"))

    content_panels: ClassVar[list[Any]] = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("video_file"),
        FieldPanel("video_url"),
        FieldPanel("poster"),
        FieldPanel("captions"),
        FieldPanel("transcript"),
        *LibraryPage.taxonomy_panels,
    ]

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")

    def clean(self) -> None:
        super().clean()
        if not self.video_file_id and not self.video_url:
            raise ValidationError(_("Upload a video file or give a link to the video."))

    def body_text(self) -> str:
        return f"{self.summary}\n{self.transcript}"


class NewsletterPage(LibraryPage):
    """A newsletter issue (bản tin): a selection of library items, printable on A4."""

    issue_number = models.PositiveIntegerField(_("issue number"))
    issue_date = models.DateField(_("issue date"))
    intro = models.TextField(_("introduction"), blank=True)
    items = StreamField([("item", blocks.PageChooserBlock())], verbose_name=_("items"), blank=True)

    content_panels: ClassVar[list[Any]] = [
        *Page.content_panels,
        FieldPanel("issue_number"),
        FieldPanel("issue_date"),
        FieldPanel("intro"),
        FieldPanel("items"),
        *LibraryPage.taxonomy_panels,
    ]

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")

    def item_pages(self) -> list[LibraryPage]:
        pages = [block.value.specific for block in self.items if block.value is not None]
        return [p for p in pages if p.live and isinstance(p, LibraryPage)]

    def body_text(self) -> str:
        return "\n".join([self.summary, self.intro, *(p.title for p in self.item_pages())])

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from pctt.library.newsletter import soffice

        context = super().get_context(request, *args, **kwargs)
        context["has_pdf"] = soffice() is not None
        return context


class LoudspeakerScriptPage(LibraryPage):
    """A programme for the ward's loudspeakers (F1: grassroots information system)."""

    programme_text = models.TextField(_("programme text"))
    target_duration_s = models.PositiveIntegerField(_("target duration (seconds)"), default=180)

    content_panels: ClassVar[list[Any]] = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("programme_text"),
        FieldPanel("target_duration_s"),
        *LibraryPage.taxonomy_panels,
    ]
    has_audio = True

    class Meta:
        verbose_name = _("loudspeaker script")
        verbose_name_plural = _("loudspeaker scripts")

    def body_text(self) -> str:
        return f"{self.summary}\n{self.programme_text}"

    def speech_text(self) -> str:
        return self.programme_text


class GoodDeedStoryPage(LibraryPage):
    """Good people, good deeds in rescue and relief (C4)."""

    people = models.CharField(_("people or group honoured"), max_length=300)
    place = models.CharField(_("place"), max_length=300, blank=True)
    event_date = models.DateField(_("date of the deed"), null=True, blank=True)
    body = RichTextField(_("story"))

    content_panels: ClassVar[list[Any]] = [
        *Page.content_panels,
        FieldPanel("people"),
        FieldPanel("place"),
        FieldPanel("event_date"),
        FieldPanel("summary"),
        FieldPanel("body"),
        *LibraryPage.taxonomy_panels,
    ]

    class Meta:
        verbose_name = _("good-deed story")
        verbose_name_plural = _("good-deed stories")

    def body_text(self) -> str:
        return "\n".join([self.summary, self.people, self.place, plain(self.body)])


class PolicySummaryPage(LibraryPage):
    """A legal or policy document explained, linking the official text (C3)."""

    document_number = models.CharField(_("document number"), max_length=100)
    issued_by = models.CharField(_("issued by"), max_length=200)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    official_url = models.URLField(_("link to the official text"), blank=True)
    official_document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("official text (file)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = RichTextField(_("explanation"))

    content_panels: ClassVar[list[Any]] = [
        *Page.content_panels,
        FieldPanel("document_number"),
        FieldPanel("issued_by"),
        FieldPanel("issued_on"),
        FieldPanel("official_url"),
        FieldPanel("official_document"),
        FieldPanel("summary"),
        FieldPanel("body"),
        *LibraryPage.taxonomy_panels,
    ]

    class Meta:
        verbose_name = _("policy summary")
        verbose_name_plural = _("policy summaries")

    def body_text(self) -> str:
        return "\n".join([self.summary, self.document_number, self.issued_by, plain(self.body)])


PAGE_TYPES: tuple[type[LibraryPage], ...] = (
    ArticlePage,
    GuidancePage,
    QuestionPage,
    InfographicPage,
    VideoPage,
    NewsletterPage,
    LoudspeakerScriptPage,
    GoodDeedStoryPage,
    PolicySummaryPage,
)
