from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PageAudio(models.Model):
    """The spoken version of a page's published text; regenerated when the text changes."""

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="library_audio"
    )
    text_sha256 = models.CharField(_("text fingerprint"), max_length=64)
    file = models.FileField(_("audio file"), upload_to="library/audio/")
    duration_s = models.FloatField(_("duration (seconds)"))
    created_at = models.DateTimeField(_("created at"), auto_now=True)

    class Meta:
        verbose_name = _("page audio")
        verbose_name_plural = _("page audio")

    def __str__(self) -> str:
        return self.file.name or ""
