"""Back office: second factor, re-authentication, the audit log, and the audited actions
that Wagtail's generic screens save through (`pctt.accounts.admin_audit`)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from pctt.accounts import admin_audit, views


@hooks.register("register_actions")
def register_audited_actions(registry: Any) -> None:
    """Every model's create/edit/delete through Wagtail's generic views (and its API) writes
    the audit log. Registered on `models.Model`: a model's own registration (pages) wins."""
    for action in admin_audit.AUDITED_ACTIONS:
        registry.register(models.Model, action)


@hooks.register("register_admin_urls")
def register_account_urls() -> list[object]:
    return [
        path("2fa/", views.TwoFactorView.as_view(), name="accounts_two_factor"),
        path(
            "2fa/recovery-codes/",
            views.RecoveryCodesView.as_view(),
            name="accounts_recovery_codes",
        ),
        path("2fa/confirm/", views.ReauthView.as_view(), name="accounts_reauth"),
        path("audit/", views.AuditIndexView.as_view(), name="accounts_audit"),
        path("audit/export/", views.AuditExportView.as_view(), name="accounts_audit_export"),
        path("audit/<int:pk>/", views.AuditDetailView.as_view(), name="accounts_audit_detail"),
    ]


class AuditMenuItem(MenuItem):
    def is_shown(self, request: object) -> bool:
        return bool(request.user.has_perm(views.AUDIT_PERMISSION))  # type: ignore[attr-defined]


@hooks.register("register_settings_menu_item")
def register_audit_menu_item() -> MenuItem:
    return AuditMenuItem(_("Audit log"), reverse("accounts_audit"), icon_name="history", order=900)


@hooks.register("register_account_menu_item")
def register_two_factor_menu_item(request: HttpRequest) -> dict[str, object]:
    return {
        "url": reverse("accounts_two_factor"),
        "label": _("Two-step verification"),
        "help_text": _("Your authenticator app and recovery codes."),
    }
