from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoudspeakersConfig(AppConfig):
    name = "pctt.loudspeakers"
    label = "loudspeakers"
    verbose_name = _("Loudspeaker system")

    def ready(self) -> None:
        from pctt.alerts.signals import warning_issued
        from pctt.loudspeakers import receivers

        warning_issued.connect(receivers.warning_issued, dispatch_uid="loudspeakers.warning")
