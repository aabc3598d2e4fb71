"""Background tasks. They receive ids only and are safe to run twice."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from pctt.hazards.models import Proposal

#: Operators are the people who may draft warnings.
OPERATOR_PERMISSION = ("alerts", "add_alert")


def operator_emails() -> list[str]:
    app_label, codename = OPERATOR_PERMISSION
    has_perm = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    ) | Q(is_superuser=True)
    users = get_user_model().objects.filter(has_perm, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


@task()
def notify_operators(proposal_id: int) -> int:
    """E-mail operators about a new proposal; returns how many addresses were written to."""
    proposal = Proposal.objects.select_related("alert").filter(pk=proposal_id).first()
    if proposal is None or proposal.state != Proposal.State.OPEN:
        return 0
    recipients = operator_emails()
    if not recipients:
        return 0
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    link = (
        base + reverse("alerts_detail", args=[proposal.alert.pk])
        if proposal.alert is not None
        else base + reverse("hazards_proposals")
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Warning proposal: %(summary)s") % {"summary": proposal.summary}
        body = "\n\n".join(
            [
                proposal.summary,
                _(
                    "A prefilled warning draft is waiting. Check it, submit it; a second person "
                    "must approve it before anything reaches residents."
                ),
                link,
            ]
        )
    send_mail(subject[:200], body, None, recipients)
    return len(recipients)
