"""Background tasks: ids only, safe to run twice."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from pctt.loudspeakers.models import HealthAlert

#: Radio officers (who watch devices) and alert operators (who draft warnings) are told.
WATCHERS = (("loudspeakers", "view_healthalert"), ("alerts", "add_alert"))


def watcher_emails() -> list[str]:
    has_perm = Q(is_superuser=True)
    for app_label, codename in WATCHERS:
        has_perm |= Q(
            groups__permissions__codename=codename,
            groups__permissions__content_type__app_label=app_label,
        )
    users = get_user_model().objects.filter(has_perm, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


@task()
def notify_health_alert(alert_id: int) -> int:
    alert = HealthAlert.objects.select_related("cluster").filter(pk=alert_id).first()
    if alert is None or alert.resolved_at is not None:
        return 0
    recipients = watcher_emails()
    if not recipients:
        return 0
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("loudspeakers_clusters")
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Loudspeaker cluster %(name)s: %(problem)s") % {
            "name": alert.cluster.name,
            "problem": alert.get_kind_display(),
        }
        body = "\n\n".join([subject, alert.detail, link])
    send_mail(subject[:200], body, None, recipients)
    return len(recipients)
