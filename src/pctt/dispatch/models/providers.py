"""Channel providers as configured by the ward in the back office.

Secrets are never stored here: ``options`` names the environment variables that hold them
(``{"password_env": "PCTT_SMTP_PASSWORD"}``), read when the provider is built.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from pctt.dispatch.models.outbox import Channel

SECRET_WORDS = ("password", "secret", "token", "api_key", "apikey", "private")


class ChannelProvider(models.Model):
    class Kind(models.TextChoices):
        CONSOLE = "console", _("console (stub: writes to the log)")
        FILE = "file", _("file (stub: appends JSON lines)")
        SMTP = "smtp", _("e-mail over SMTP")
        SMS_HTTP = "sms_http", _("SMS over an HTTP gateway")
        MQTT = "mqtt", _("loudspeakers over MQTT")
        SMPP = "smpp", _("SMS over SMPP")
        GSM_MODEM = "gsm_modem", _("SMS through a GSM modem")
        MESSAGING_APP = "messaging_app", _("messaging-app official account")
        WEBHOOK = "webhook", _("signed webhook")

    name = models.SlugField(_("name"), max_length=50, unique=True)
    channel = models.PositiveSmallIntegerField(_("channel"), choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=10, help_text=_("Lower numbers are tried first.")
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    rate_per_second = models.FloatField(_("messages per second"), default=20.0)
    options = models.JSONField(
        _("options"),
        default=dict,
        blank=True,
        help_text=_("Secrets go in environment variables; put only their names here."),
    )

    class Meta:
        verbose_name = _("channel provider")
        verbose_name_plural = _("channel providers")
        ordering = ["channel", "priority", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Refuse options that look like a secret written in clear."""
        if not isinstance(self.options, dict):
            raise ValidationError({"options": _("Options must be a JSON object.")})
        for key, value in self.options.items():
            lowered = str(key).lower()
            if any(word in lowered for word in SECRET_WORDS) and not lowered.endswith("_env"):
                raise ValidationError(
                    {
                        "options": _(
                            "Put secrets in an environment variable and give its name in"
                            " an option ending in _env (for example %(key)s_env)."
                        )
                        % {"key": key}
                    }
                )
            if lowered.endswith("_env") and not isinstance(value, str):
                raise ValidationError({"options": _("Options ending in _env name a variable.")})

    @property
    def is_stub(self) -> bool:
        return self.kind in (self.Kind.CONSOLE, self.Kind.FILE)
