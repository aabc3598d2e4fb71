from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "pctt.library"
    label = "library"
    verbose_name = _("Preparedness library")

    def ready(self) -> None:
        from pctt.library import signals

        signals.connect()
