from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "pctt.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        from pctt.portal import signals  # noqa: F401 - connects the receivers
