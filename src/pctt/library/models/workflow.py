"""Approval by a role acting for an organisation kind (the Party Building Board).

Wagtail's group approval lets any member of a group approve. The plan wants the final approval
from the Party Building Board (section IV, U1), so this task also requires that the approver is
a member of an organisation of that kind. Everything else is Wagtail's workflow.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask

from pctt.plans.models import Organisation


class OrganisationApprovalTask(AbstractGroupApprovalTask):
    organisation_kind = models.CharField(
        _("organisation kind"),
        max_length=30,
        choices=Organisation.Kind.choices,
        default=Organisation.Kind.PARTY_BUILDING_BOARD,
    )

    admin_form_fields = [*AbstractGroupApprovalTask.admin_form_fields, "organisation_kind"]

    class Meta:
        verbose_name = _("organisation approval task")
        verbose_name_plural = _("organisation approval tasks")

    def _user_in_groups(self, user: Any) -> bool:
        # Both conditions, cached per request like the parent's group check.
        cache_attr = "_organisation_approval_checks"
        checks: dict[int, bool] = getattr(user, cache_attr, None) or {}
        setattr(user, cache_attr, checks)
        if self.pk not in checks:
            checks[self.pk] = bool(
                super()._user_in_groups(user)
                and user.memberships.filter(organisation__kind=self.organisation_kind).exists()
            )
        return checks[self.pk]

    @classmethod
    def get_description(cls) -> str:
        return str(
            _("Members of the chosen groups who act for an organisation of the chosen kind approve")
        )
