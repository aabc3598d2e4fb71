"""A resident's request to erase their personal data, confirmed by a code over the same channel.

The address is kept only while the request waits for its code (to send the code and to find the
data); it is cleared when the request is confirmed or expires (`pctt retention`). Only a hash
of the code is stored, as for consents.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeletionRequest(models.Model):
    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("e-mail")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254, blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    code_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    code_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deletion request")
        verbose_name_plural = _("deletion requests")

    def __str__(self) -> str:
        return f"#{self.pk} {self.channel}"
