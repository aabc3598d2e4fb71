from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "pctt.plans"
    label = "plans"
    verbose_name = _("Plan and organisations")

    def ready(self) -> None:
        # Activities are recorded from other apps' events without those apps knowing plans.
        from django.db.models.signals import post_save
        from wagtail.signals import page_published

        from pctt.alerts.models import Alert
        from pctt.plans import receivers

        post_save.connect(receivers.alert_saved, sender=Alert, dispatch_uid="plans.alert_saved")
        page_published.connect(receivers.page_published, dispatch_uid="plans.page_published")
