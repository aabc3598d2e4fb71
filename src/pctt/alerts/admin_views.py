"""Back-office screens for warnings: list, new from a template, edit, preview and decide.

Views parse and authorise; every change goes through `pctt.alerts.actions`.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from pctt import cap
from pctt.accounts.models import AuditEntry
from pctt.accounts.otp import recently_authenticated
from pctt.accounts.views import reauth_redirect
from pctt.alerts import actions, cap_message, reach, rendering
from pctt.alerts.forms import DraftForm, NewWarningForm
from pctt.alerts.models import Alert, UpstreamAlert, WarningTemplate
from pctt.alerts.portal import portal_card
from pctt.core import tts

HOME = {"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Home")}
LIST = {"url": reverse_lazy("alerts_index"), "label": gettext_lazy("Warnings")}


def _need(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied(permission)


class _Page(WagtailAdminTemplateMixin, TemplateView):  # type: ignore[misc]
    header_icon = "warning"
    permission = "alerts.view_alert"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        _need(request, self.permission)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[no-any-return]


class IndexView(_Page):
    template_name = "alerts/admin/index.html"
    page_title = gettext_lazy("Warnings")
    breadcrumbs_items = [HOME, {"url": "", "label": gettext_lazy("Warnings")}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        alerts = Alert.objects.select_related("author", "approver").order_by("-created_at")
        state = self.request.GET.get("state", "")
        if state in Alert.State.values:
            alerts = alerts.filter(state=state)
        active_ids = set(Alert.objects.active().values_list("pk", flat=True))
        page = Paginator(alerts, 50).get_page(self.request.GET.get("p"))
        context.update(
            page=page,
            active_ids=active_ids,
            state=state,
            states=Alert.State.choices,
            can_draft=self.request.user.has_perm(actions.DRAFT_PERMISSION),
        )
        return context


class NewView(_Page):
    template_name = "alerts/admin/new.html"
    page_title = gettext_lazy("New warning")
    permission = actions.DRAFT_PERMISSION
    breadcrumbs_items = [HOME, LIST, {"url": "", "label": gettext_lazy("New warning")}]

    def template(self) -> WarningTemplate | None:
        key = self.request.GET.get("template", "")
        return WarningTemplate.objects.filter(key=key, is_active=True).first() if key else None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        template = self.template()
        context["template"] = template
        context["templates"] = WarningTemplate.objects.filter(is_active=True)
        if template is not None:
            context["form"] = kwargs.get("form") or NewWarningForm(template)
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        template = self.template()
        if template is None:
            raise Http404
        form = NewWarningForm(template, request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        alert = actions.create_draft(
            user=request.user,
            template=template,
            values=form.values(),
            area_ids=[g.pk for g in form.cleaned_data["areas"]],
            zone_ids=[z.pk for z in form.cleaned_data["zones"]],
            status=form.cleaned_data["status"],
            drawn_area=form.cleaned_data["drawn_area"],
        )
        messages.success(request, _("Draft created. Check every preview, then submit it."))
        return HttpResponseRedirect(reverse("alerts_detail", args=[alert.pk]))


class EditView(_Page):
    template_name = "alerts/admin/edit.html"
    page_title = gettext_lazy("Edit draft")
    permission = actions.DRAFT_PERMISSION
    breadcrumbs_items = [HOME, LIST, {"url": "", "label": gettext_lazy("Edit draft")}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        alert = get_object_or_404(Alert, pk=self.kwargs["pk"])
        context["alert"] = alert
        context["form"] = kwargs.get("form") or DraftForm(
            instance=alert,
            initial={
                "areas": alert.areas.all(),
                "zones": alert.zones.all(),
                "drawn_area": _json(alert.drawn_area),
            },
        )
        return context

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        alert = get_object_or_404(Alert, pk=pk)
        form = DraftForm(request.POST, instance=Alert.objects.get(pk=pk))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        fields["drawn_area"] = form.cleaned_data["drawn_area"]
        try:
            actions.edit_draft(
                alert,
                user=request.user,
                area_ids=[g.pk for g in form.cleaned_data["areas"]],
                zone_ids=[z.pk for z in form.cleaned_data["zones"]],
                **fields,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("Draft saved."))
        return HttpResponseRedirect(reverse("alerts_detail", args=[pk]))


def _json(value: object) -> str:
    import json

    return json.dumps(value) if value else ""


class DetailView(_Page):
    """Everything that will go out, side by side, and the decision buttons."""

    template_name = "alerts/admin/detail.html"
    page_title = gettext_lazy("Warning")
    breadcrumbs_items = [HOME, LIST, {"url": "", "label": gettext_lazy("Warning")}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        alert = get_object_or_404(
            Alert.objects.select_related("author", "approver"), pk=self.kwargs["pk"]
        )
        user = self.request.user
        with_marks, without_marks = rendering.sms_previews(alert)
        cap_xml = alert.cap_xml.encode() if alert.cap_xml else _draft_cap(alert)
        report = cap.validate(cap_xml)
        is_active = Alert.objects.active().filter(pk=alert.pk).exists()
        context.update(
            alert=alert,
            card=portal_card(alert),
            sms=with_marks,
            sms_ascii=without_marks,
            email=rendering.email(alert),
            loudspeaker=rendering.loudspeaker_script(alert),
            spoken=_spoken(rendering.loudspeaker_script(alert)),
            audio=loudspeaker_audio(alert),
            cap_xml=cap_xml.decode(),
            cap_report=report,
            reach=reach.estimate(alert),
            problems=actions.problems(alert) if alert.state == Alert.State.DRAFT else [],
            is_active=is_active,
            can_edit=alert.state in (Alert.State.DRAFT, Alert.State.REJECTED)
            and user.has_perm(actions.DRAFT_PERMISSION),
            can_submit=alert.state == Alert.State.DRAFT and user.has_perm(actions.DRAFT_PERMISSION),
            can_decide=alert.state == Alert.State.SUBMITTED
            and user.has_perm(actions.APPROVE_PERMISSION)
            and user.pk not in (alert.author_id, alert.submitted_by_id),
            own_submission=alert.state == Alert.State.SUBMITTED
            and user.pk in (alert.author_id, alert.submitted_by_id),
            can_follow_up=is_active and user.has_perm(actions.DRAFT_PERMISSION),
            history=AuditEntry.objects.filter(
                object_type="alerts.Alert", object_id=str(alert.pk)
            ).order_by("at"),
            thread=Alert.objects.filter(thread=alert.root).order_by("created_at")
            if alert.root.pk
            else [],
        )
        return context


def _draft_cap(alert: Alert) -> bytes:
    """The CAP message the draft would become (sent = now), to check before approval."""
    from django.utils import timezone

    preview = Alert.objects.get(pk=alert.pk)
    preview.sent = timezone.now().replace(microsecond=0)
    return cap_message.xml(preview)


def _spoken(script: str) -> str:
    from pctt.core.speech import for_speech

    return for_speech(script)


class TransitionView(View):
    """POST-only: submit, approve, reject, update, cancel."""

    def post(self, request: HttpRequest, pk: int, verb: str) -> HttpResponse:
        alert = get_object_or_404(Alert, pk=pk)
        target = alert
        try:
            if verb == "submit":
                actions.submit(alert, user=request.user)
                messages.success(request, _("Submitted. A second person must approve it."))
            elif verb == "approve":
                if not alert.is_drill and not recently_authenticated(request):
                    # An Actual warning: password and code again (docs/security.md).
                    return reauth_redirect(request, reverse("alerts_detail", args=[alert.pk]))
                actions.approve(alert, user=request.user)
                messages.success(request, _("Approved and issued."))
            elif verb == "reject":
                actions.reject(
                    alert, user=request.user, reason=request.POST.get("reason", "")[:2000]
                )
                messages.warning(request, _("Rejected; the author can edit it again."))
            elif verb == "update":
                target = actions.start_update(alert, user=request.user)
                messages.success(request, _("Update drafted: edit it, then submit it."))
            elif verb == "cancel":
                target = actions.start_cancel(alert, user=request.user)
                messages.success(request, _("Cancellation drafted: submit it for approval."))
            else:
                raise Http404
        except PermissionDenied as exc:
            messages.error(request, str(exc) if str(exc) else _("You are not allowed to do this."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return HttpResponseRedirect(reverse("alerts_detail", args=[target.pk]))


def loudspeaker_audio(alert: Alert) -> tts.AudioInfo | None:
    """The loudspeaker script as speech (espeak-ng, offline), cached by its text."""
    script = rendering.loudspeaker_script(alert)
    digest = hashlib.sha256(script.encode()).hexdigest()[:24]
    folder = settings.MEDIA_ROOT / "alerts" / "audio"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{digest}.wav"
    try:
        if not path.exists():
            return tts.synthesise(script, out_path=path)
        return tts.AudioInfo(path=path, duration_s=tts._wav_duration(path), format="wav")
    except (tts.TtsUnavailable, tts.TtsError):
        return None


class AudioView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        _need(request, "alerts.view_alert")
        audio = loudspeaker_audio(get_object_or_404(Alert, pk=pk))
        if audio is None:
            return HttpResponse(
                _("Speech synthesis (espeak-ng) is not installed."),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
        return FileResponse(audio.path.open("rb"), content_type="audio/wav")


class RelayView(View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        upstream = get_object_or_404(UpstreamAlert, pk=pk)
        try:
            alert = actions.draft_from_upstream(upstream, user=request.user)
        except PermissionDenied:
            messages.error(request, _("You are not allowed to do this."))
            return HttpResponseRedirect(reverse("alerts_index"))
        messages.success(request, _("Draft created from the upstream warning."))
        return HttpResponseRedirect(reverse("alerts_detail", args=[alert.pk]))
