"""Back-office screens of accounts: second factor (enrol, verify, recovery codes),
re-authentication, and the audit log (list, detail, CSV/JSON export).

Views parse and authorise; state changes are django-otp's devices and `audit.log_action`.
"""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Iterator
from datetime import datetime, time
from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from pctt.accounts import lockout, otp
from pctt.accounts.audit import log_action
from pctt.accounts.forms import EnrolForm, ReauthForm, TokenForm
from pctt.accounts.models import AuditEntry
from pctt.accounts.request_context import client_ip

HOME = {"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Home")}
AUDIT_PERMISSION = "accounts.view_auditentry"


def safe_next(request: HttpRequest, default: str = "") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or reverse("wagtailadmin_home")


class _Page(WagtailAdminTemplateMixin, TemplateView):  # type: ignore[misc]
    header_icon = "lock"


class TwoFactorView(_Page):
    """Enrol (first time: QR code, then a code), or enter a code after the password."""

    template_name = "accounts/admin/two_factor.html"
    page_title = gettext_lazy("Two-step verification")
    breadcrumbs_items = [HOME, {"url": "", "label": gettext_lazy("Two-step verification")}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["next"] = safe_next(self.request)
        context["required"] = otp.requires_second_factor(user)
        if user.is_verified():  # type: ignore[union-attr]
            context["mode"] = "manage"
            context["codes_left"] = otp.recovery_codes_left(user)
        elif otp.confirmed_totp(user) is not None:
            context["mode"] = "verify"
            context.setdefault("form", TokenForm())
        else:
            device = otp.pending_totp(user)
            context["mode"] = "enrol"
            context["qr"] = otp.qr_data_uri(device)
            context["secret"] = otp.secret_text(device)
            context.setdefault("form", EnrolForm())
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        ip = client_ip(request)
        if lockout.is_locked(user.get_username(), ip):  # type: ignore[union-attr]
            messages.error(request, _("Too many failed attempts. Try again later."))
            return self.render_to_response(self.get_context_data())
        if user.is_verified():  # type: ignore[union-attr]
            return HttpResponseRedirect(safe_next(request))
        if otp.confirmed_totp(user) is not None:
            form: TokenForm | EnrolForm = TokenForm(request.POST)
            device = otp.verify(user, form.cleaned_data["otp_token"]) if form.is_valid() else None
            if device is None:
                return self._failed(request, form)
            otp.mark_verified(request, device)
            log_action(
                "accounts.second_factor.verify",
                user=user,
                data={"device": "recovery" if device.name == otp.RECOVERY_NAME else "totp"},
            )
            if device.name == otp.RECOVERY_NAME:
                messages.warning(
                    request,
                    _("You used a recovery code; %(left)s are left.")
                    % {"left": otp.recovery_codes_left(user)},
                )
            return HttpResponseRedirect(safe_next(request))
        form = EnrolForm(request.POST)
        pending = otp.pending_totp(user)
        if not form.is_valid() or not otp.confirm_enrolment(
            pending, form.cleaned_data["otp_token"]
        ):
            return self._failed(request, form)
        otp.mark_verified(request, pending)
        codes = otp.new_recovery_codes(user)
        log_action("accounts.second_factor.enrol", user=user)
        return _show_codes(request, codes, safe_next(request))

    def _failed(self, request: HttpRequest, form: Any) -> HttpResponse:
        lockout.record_failure(request.user.get_username(), client_ip(request))  # type: ignore[union-attr]
        if form.is_valid():
            form.add_error("otp_token", _("This code is not valid. Check the time on your phone."))
        return self.render_to_response(self.get_context_data(form=form))


def _show_codes(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    response = TemplateResponse(
        request,
        "accounts/admin/recovery_codes.html",
        {
            "codes": codes,
            "next": next_url,
            "page_title": _("Recovery codes"),
            "header_icon": "lock",
            "breadcrumbs_items": [HOME, {"url": "", "label": _("Recovery codes")}],
        },
    )
    response["Cache-Control"] = "no-store"
    return response


class RecoveryCodesView(View):
    """POST: new recovery codes (the old ones stop working), shown once."""

    def post(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_verified():  # type: ignore[union-attr]
            raise PermissionDenied
        if not otp.recently_authenticated(request):
            return reauth_redirect(request, reverse("accounts_two_factor"))
        codes = otp.new_recovery_codes(request.user)
        log_action("accounts.second_factor.recovery_codes", user=request.user)
        return _show_codes(request, codes, reverse("accounts_two_factor"))


def reauth_redirect(request: HttpRequest, next_url: str) -> HttpResponseRedirect:
    messages.info(request, _("Confirm your password and code to continue."))
    return HttpResponseRedirect(f"{reverse('accounts_reauth')}?next={next_url}")


class ReauthView(_Page):
    """Password and code again, before a decision that must not be taken from a stolen session."""

    template_name = "accounts/admin/reauth.html"
    page_title = gettext_lazy("Confirm it is you")
    breadcrumbs_items = [HOME, {"url": "", "label": gettext_lazy("Confirm it is you")}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ReauthForm())
        context["next"] = safe_next(self.request)
        context["has_device"] = otp.confirmed_totp(self.request.user) is not None
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        username = user.get_username()  # type: ignore[union-attr]
        form = ReauthForm(request.POST)
        if lockout.is_locked(username, client_ip(request)):
            form.add_error(None, _("Too many failed attempts. Try again later."))
            return self.render_to_response(self.get_context_data(form=form))
        if form.is_valid():
            checked = authenticate(
                request, username=username, password=form.cleaned_data["password"]
            )
            device = (
                otp.verify(user, form.cleaned_data["otp_token"])
                if checked is not None and checked.pk == user.pk
                else None
            )
            if device is not None:
                otp.mark_verified(request, device)
                log_action("accounts.reauthenticate", user=user)
                return HttpResponseRedirect(safe_next(request))
            if checked is not None:
                lockout.record_failure(username, client_ip(request))
            form.add_error(None, _("The password or the code is not right."))
        return self.render_to_response(self.get_context_data(form=form))


# -- audit log --------------------------------------------------------------------------


def _day(value: str, *, end: bool) -> datetime | None:
    parsed = parse_date(value) if value else None
    if parsed is None:
        return None
    return timezone.make_aware(datetime.combine(parsed, time.max if end else time.min))


def filtered_entries(params: Any) -> tuple[QuerySet[AuditEntry], dict[str, str]]:
    """Entries matching the filters in *params* (a QueryDict): user, action, object, dates."""
    filters = {
        name: (params.get(name) or "").strip()[:200]
        for name in ("user", "action", "object_type", "object_id", "since", "until")
    }
    entries = AuditEntry.objects.all()
    if filters["user"]:
        entries = entries.filter(actor_label__iexact=filters["user"])
    if filters["action"]:
        entries = entries.filter(action__startswith=filters["action"])
    if filters["object_type"]:
        entries = entries.filter(object_type=filters["object_type"])
    if filters["object_id"]:
        entries = entries.filter(object_id=filters["object_id"])
    try:
        since = _day(filters["since"], end=False)
        until = _day(filters["until"], end=True)
    except ValueError:
        since = until = None
    if since is not None:
        entries = entries.filter(at__gte=since)
    if until is not None:
        entries = entries.filter(at__lte=until)
    return entries.order_by("-at", "-pk"), filters


class _AuditPage(_Page):
    header_icon = "history"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm(AUDIT_PERMISSION):
            raise PermissionDenied(AUDIT_PERMISSION)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[no-any-return]


class AuditIndexView(_AuditPage):
    template_name = "accounts/admin/audit_index.html"
    page_title = gettext_lazy("Audit log")
    breadcrumbs_items = [HOME, {"url": "", "label": gettext_lazy("Audit log")}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        entries, filters = filtered_entries(self.request.GET)
        query = self.request.GET.copy()
        query.pop("p", None)
        context.update(
            page=Paginator(entries, 100).get_page(self.request.GET.get("p")),
            filters=filters,
            query=query.urlencode(),
            object_types=AuditEntry.objects.order_by()
            .exclude(object_type="")
            .values_list("object_type", flat=True)
            .distinct(),
        )
        return context


class AuditDetailView(_AuditPage):
    template_name = "accounts/admin/audit_detail.html"
    page_title = gettext_lazy("Audit entry")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        entry = get_object_or_404(AuditEntry, pk=self.kwargs["pk"])
        context.update(
            entry=entry,
            blocks=[
                (label, json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True))
                for label, value in (
                    (_("Details"), entry.data),
                    (_("Before"), entry.before),
                    (_("After"), entry.after),
                )
                if value not in (None, {}, [])
            ],
            breadcrumbs_items=[
                HOME,
                {"url": reverse("accounts_audit"), "label": _("Audit log")},
                {"url": "", "label": str(entry.pk)},
            ],
        )
        return context


EXPORT_FIELDS = (
    "id",
    "at",
    "actor_label",
    "ip",
    "action",
    "object_type",
    "object_id",
    "data",
    "before",
    "after",
)


def _row(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "at": entry.at.isoformat(),
        "actor_label": entry.actor_label,
        "ip": entry.ip,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "data": entry.data,
        "before": entry.before,
        "after": entry.after,
    }


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(entries: QuerySet[AuditEntry]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPORT_FIELDS)
    for entry in entries.iterator(chunk_size=2000):
        row = _row(entry)
        yield writer.writerow(
            [
                _cell(json.dumps(row[f], ensure_ascii=False, cls=DjangoJSONEncoder))
                if f in ("data", "before", "after")
                else _cell("" if row[f] is None else str(row[f]))
                for f in EXPORT_FIELDS
            ]
        )


def _cell(text: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet: quote it.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _json_lines(entries: QuerySet[AuditEntry]) -> Iterator[str]:
    yield "[\n"
    first = True
    for entry in entries.iterator(chunk_size=2000):
        yield ("" if first else ",\n") + json.dumps(
            _row(entry), ensure_ascii=False, cls=DjangoJSONEncoder
        )
        first = False
    yield "\n]\n"


class AuditExportView(View):
    def get(self, request: HttpRequest) -> StreamingHttpResponse:
        if not request.user.has_perm(AUDIT_PERMISSION):
            raise PermissionDenied(AUDIT_PERMISSION)
        entries, filters = filtered_entries(request.GET)
        kind = request.GET.get("format", "csv")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        log_action(
            "accounts.audit.export",
            user=request.user,
            data={"format": kind, "filters": {k: v for k, v in filters.items() if v}},
        )
        if kind == "json":
            response = StreamingHttpResponse(
                _json_lines(entries), content_type="application/json; charset=utf-8"
            )
            name = f"audit-{stamp}.json"
        else:
            response = StreamingHttpResponse(
                itertools.chain(["\ufeff"], _csv_lines(entries)),
                content_type="text/csv; charset=utf-8",
            )
            name = f"audit-{stamp}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response
