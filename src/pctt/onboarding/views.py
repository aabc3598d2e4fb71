"""The set-up wizard's screens. Views parse and authorise; `pctt.onboarding.actions` changes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from shapely.geometry import mapping
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.home import HomeView

from pctt.accounts.roles import ROLES
from pctt.areas.actions import AreaImportError
from pctt.areas.models import AdminUnit, HazardZone, WardSetting
from pctt.onboarding import actions, steps, wardsearch
from pctt.onboarding.forms import (
    CHANNEL_FORMS,
    AccountForm,
    DrawForm,
    OrganisationForm,
    TestForm,
    UploadForm,
    WardForm,
)
from pctt.onboarding.models import ChannelTest, Onboarding

HOME = {"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Home")}


class _Base(WagtailAdminTemplateMixin, TemplateView):  # type: ignore[misc]
    page_title = gettext_lazy("Set up the ward")
    header_icon = "cogs"
    breadcrumbs_items = [HOME, {"url": "", "label": gettext_lazy("Set up the ward")}]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm(actions.RUN):
            raise PermissionDenied(actions.RUN)
        return super().dispatch(request, *args, **kwargs)


class OverviewView(_Base):
    template_name = "onboarding/overview.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        state = Onboarding.current()
        context.update(
            state=state,
            rows=steps.statuses(state) if state else [],
            next_key=steps.next_step(state) if state else "ward",
            demo_served=_demo_served(),
        )
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        state = actions.state_for(request.user)
        if actions.ensure_reference(request.user):
            messages.success(request, _("The official list of communes and wards is loaded."))
        return HttpResponseRedirect(reverse("onboarding_step", args=[steps.next_step(state)]))


def _demo_served() -> bool:
    setting = WardSetting.load()
    return setting.ward is not None and setting.ward.code == steps.DEMO_WARD_CODE


class StepView(_Base):
    """One step; `post` dispatches on the button pressed (`action`)."""

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.key = kwargs["key"]
        if self.key not in steps.STEP_KEYS:
            raise Http404(self.key)

    def get_template_names(self) -> list[str]:
        return [f"onboarding/step_{self.key}.html"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm(actions.RUN):
            raise PermissionDenied(actions.RUN)
        self.state = actions.state_for(request.user)
        if self.key != "ward" and (
            self.state.ward is None or self.state.ward.code == steps.DEMO_WARD_CODE
        ):
            messages.warning(request, _("Choose the ward first."))
            return HttpResponseRedirect(reverse("onboarding_step", args=["ward"]))
        return super().dispatch(request, *args, **kwargs)

    # -- context ---------------------------------------------------------------------------

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = steps.statuses(self.state)
        current = next(row for row in rows if row.key == self.key)
        context.update(
            state=self.state,
            ward=self.state.ward,
            rows=rows,
            current=current,
            step_label=_("Step %(n)d of %(total)d") % {"n": current.number, "total": len(rows)},
            next_key=steps.next_step(self.state, after=self.key),
        )
        getattr(self, f"context_{self.key}")(context)
        return context

    def context_ward(self, context: dict[str, Any]) -> None:
        query = self.request.GET.get("q", "")
        setting = WardSetting.load()
        context.update(
            query=query,
            hits=wardsearch.search(query) if query else [],
            reference_loaded=actions.reference_loaded(),
            demo_served=_demo_served(),
            form=context.get("form")
            or WardForm(
                initial={
                    "ward": self.state.ward_id,
                    "display_name": setting.display_name,
                    "cap_sender": setting.cap_sender,
                }
            ),
        )

    def _areas_context(self, context: dict[str, Any], *, zone: bool) -> None:
        ward = self.state.ward
        existing: list[AdminUnit] | list[HazardZone]
        if zone:
            existing = list(HazardZone.objects.filter(commune=ward).order_by("code"))
        else:
            existing = list(AdminUnit.objects.groups().filter(parent=ward).order_by("code"))
        context.update(
            zone=zone,
            existing=existing,
            upload_form=context.get("upload_form") or UploadForm(),
            draw_form=context.get("draw_form") or DrawForm(zone=zone),
            outline_url=reverse("onboarding_outline"),
            areas_url=reverse("areas_map_geojson"),
        )

    def context_groups(self, context: dict[str, Any]) -> None:
        self._areas_context(context, zone=False)

    def context_zones(self, context: dict[str, Any]) -> None:
        self._areas_context(context, zone=True)

    def context_organisations(self, context: dict[str, Any]) -> None:
        from pctt.plans.models import Organisation

        ward = self.state.ward
        assert ward is not None
        existing = list(Organisation.objects.filter(ward=ward).order_by("kind", "name"))
        names = {o.name for o in existing}
        context.update(
            existing=existing,
            usual=[
                (index, name, kind)
                for index, (name, kind) in enumerate(actions.usual_organisations(ward))
                if name not in names
            ],
            form=context.get("form") or OrganisationForm(ward=ward),
        )

    def context_users(self, context: dict[str, Any]) -> None:
        from django.contrib.auth import get_user_model

        ward = self.state.ward
        people = []
        for key, role in ROLES.items():
            holders = (
                get_user_model()
                .objects.filter(groups__name=role.group_name, is_active=True)
                .order_by("username")
            )
            people.append((key, role.group_name, list(holders)))
        context.update(
            people=people,
            demo_accounts=actions.demo_accounts(),
            form=context.get("form") or AccountForm(ward=ward),  # type: ignore[arg-type]
        )

    def context_channels(self, context: dict[str, Any]) -> None:
        from pctt.dispatch.models import ChannelProvider, LoudspeakerCluster

        providers = list(ChannelProvider.objects.order_by("channel", "priority", "name"))
        latest = {}
        for provider in providers:
            latest[provider.pk] = ChannelTest.objects.filter(provider=provider).first()
        kind = getattr(self, "kind", "") or self.request.GET.get("kind", "smtp")
        if kind not in CHANNEL_FORMS:
            kind = "smtp"
        context.update(
            providers=[(p, latest[p.pk]) for p in providers],
            kinds=[(k, _kind_label(k)) for k in CHANNEL_FORMS],
            kind=kind,
            form=context.get("form") or CHANNEL_FORMS[kind](),
            clusters=list(LoudspeakerCluster.objects.filter(enabled=True)[:20]),
        )

    def context_templates(self, context: dict[str, Any]) -> None:
        from pctt.alerts.models import WarningTemplate

        context.update(templates=list(WarningTemplate.objects.order_by("hazard", "key")))

    def context_finish(self, context: dict[str, Any]) -> None:
        context.update(
            missing=[row for row in context["rows"] if not row.done and row.key != "finish"],
            demo_accounts=actions.demo_accounts(),
        )

    # -- actions ---------------------------------------------------------------------------

    def post(self, request: HttpRequest, key: str) -> HttpResponse:
        action = request.POST.get("action", "")
        if action == "skip":
            try:
                actions.skip(self.state, self.key, user=request.user)
            except actions.SetupError as exc:
                messages.error(request, exc.message)
                return self._redirect(self.key)
            messages.info(request, _("Step left for later: the dashboard will remind you."))
            return self._redirect(steps.next_step(self.state, after=self.key))
        handler = getattr(self, f"post_{self.key}_{action}", None)
        if handler is None:
            raise Http404(action)
        try:
            response: HttpResponse = handler(request)
        except actions.SetupError as exc:
            messages.error(request, exc.message)
            return self.render_to_response(self.get_context_data(error_lines=exc.lines))
        except AreaImportError as exc:
            messages.error(request, _("Nothing was imported."))
            lines = exc.lines(vietnamese=True)
            return self.render_to_response(self.get_context_data(error_lines=lines))
        return response

    def _redirect(self, key: str) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("onboarding_step", args=[key]))

    def _invalid(self, **forms: Any) -> HttpResponse:
        messages.error(request=self.request, message=_("Please correct the errors below."))
        return self.render_to_response(self.get_context_data(**forms))

    def post_ward_choose(self, request: HttpRequest) -> HttpResponse:
        form = WardForm(request.POST)
        if not form.is_valid():
            return self._invalid(form=form)
        actions.choose_ward(
            self.state,
            form.cleaned_data["ward"],
            user=request.user,
            display_name=form.cleaned_data["display_name"],
            cap_sender=form.cleaned_data["cap_sender"],
        )
        messages.success(
            request, _("This installation now serves %(ward)s.") % {"ward": self.state.ward}
        )
        return self._redirect(steps.next_step(self.state, after="ward"))

    def _upload(self, request: HttpRequest, levels: tuple[str, ...]) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._invalid(upload_form=form)
        count = actions.import_file(
            self.state,
            form.cleaned_data["file"],
            user=request.user,
            source=str(getattr(request.FILES.get("file"), "name", ""))[:200],
            levels=levels,
        )
        messages.success(request, _("%(count)d areas imported.") % {"count": count})
        return self._redirect(self.key)

    def _draw(self, request: HttpRequest, *, zone: bool) -> HttpResponse:
        form = DrawForm(request.POST, zone=zone)
        if not form.is_valid():
            return self._invalid(draw_form=form)
        data = form.cleaned_data
        area = actions.DrawnArea(
            name=data["name"],
            code=data["code"],
            geometry=data["geometry"],
            hazard=data.get("hazard", ""),
            households=data.get("households"),
            population=data.get("population"),
        )
        level = "hazard_zone" if zone else "residential_group"
        code = actions.draw_area(self.state, area, user=request.user, level=level)
        messages.success(
            request, _("%(name)s saved (code %(code)s).") % {"name": data["name"], "code": code}
        )
        return self._redirect(self.key)

    def post_groups_upload(self, request: HttpRequest) -> HttpResponse:
        return self._upload(request, actions.GROUP_LEVELS)

    def post_groups_draw(self, request: HttpRequest) -> HttpResponse:
        return self._draw(request, zone=False)

    def post_zones_upload(self, request: HttpRequest) -> HttpResponse:
        return self._upload(request, actions.ZONE_LEVELS)

    def post_zones_draw(self, request: HttpRequest) -> HttpResponse:
        return self._draw(request, zone=True)

    def post_organisations_usual(self, request: HttpRequest) -> HttpResponse:
        ward = self.state.ward
        assert ward is not None
        rows: list[tuple[str, str, AdminUnit | None]] = []
        for index, (name, kind) in enumerate(actions.usual_organisations(ward)):
            if request.POST.get(f"usual-{index}"):
                edited = request.POST.get(f"usual-name-{index}", name)[:200]
                rows.append((edited, kind, None))
        count = actions.add_organisations(self.state, rows, user=request.user)
        messages.success(request, _("%(count)d organisations added.") % {"count": count})
        return self._redirect(self.key)

    def post_organisations_add(self, request: HttpRequest) -> HttpResponse:
        form = OrganisationForm(request.POST, ward=self.state.ward)  # type: ignore[arg-type]
        if not form.is_valid():
            return self._invalid(form=form)
        data = form.cleaned_data
        count = actions.add_organisations(
            self.state, [(data["name"], data["kind"], data["area"])], user=request.user
        )
        if count:
            messages.success(request, _("Organisation added."))
        else:
            messages.warning(request, _("An organisation with this name already exists."))
        return self._redirect(self.key)

    def post_users_add(self, request: HttpRequest) -> HttpResponse:
        form = AccountForm(request.POST, ward=self.state.ward)  # type: ignore[arg-type]
        if not form.is_valid():
            return self._invalid(form=form)
        data = form.cleaned_data
        account, password = actions.create_account(
            self.state,
            user=request.user,
            username=data["username"],
            full_name=data["full_name"],
            role=form.role_key(),
            email=data["email"],
            organisation_id=data["organisation"],
        )
        messages.success(request, _("Account %(name)s created.") % {"name": account.username})
        # Shown once, in this response only: it is not kept anywhere in clear.
        return self.render_to_response(
            self.get_context_data(new_account=account, new_password=password)
        )

    def post_users_demo(self, request: HttpRequest) -> HttpResponse:
        count = actions.deactivate_demo_accounts(user=request.user)
        messages.success(request, _("%(count)d demo accounts deactivated.") % {"count": count})
        return self._redirect(self.key)

    def post_finish_demo(self, request: HttpRequest) -> HttpResponse:
        self.post_users_demo(request)
        return self._redirect("finish")

    def post_channels_add(self, request: HttpRequest) -> HttpResponse:
        kind = request.POST.get("kind", "")
        if kind not in CHANNEL_FORMS:
            raise Http404(kind)
        form = CHANNEL_FORMS[kind](request.POST)
        if not form.is_valid():
            self.kind = kind
            return self._invalid(form=form)
        provider = actions.add_channel(
            user=request.user, kind=kind, name=form.cleaned_data["name"], options=form.options()
        )
        messages.success(
            request,
            _("Channel %(name)s added: send a test to check it works.") % {"name": provider.name},
        )
        return HttpResponseRedirect(
            reverse("onboarding_step", args=["channels"]) + f"#p-{provider.pk}"
        )

    def post_channels_test(self, request: HttpRequest) -> HttpResponse:
        from pctt.dispatch.models import ChannelProvider

        form = TestForm(request.POST)
        if not form.is_valid():
            return self._invalid()
        provider = get_object_or_404(ChannelProvider, pk=form.cleaned_data["provider"])
        test = actions.send_test(provider, user=request.user, to=form.cleaned_data["to"])
        if test.ok:
            messages.success(
                request,
                _("Test sent through %(name)s. Check that it arrived.") % {"name": provider.name},
            )
        else:
            messages.error(
                request,
                _("The test through %(name)s failed: %(reason)s")
                % {"name": provider.name, "reason": test.detail},
            )
        return HttpResponseRedirect(
            reverse("onboarding_step", args=["channels"]) + f"#p-{provider.pk}"
        )

    def post_templates_reviewed(self, request: HttpRequest) -> HttpResponse:
        actions.review_templates(self.state, user=request.user)
        messages.success(request, _("Templates marked as reviewed."))
        return self._redirect(steps.next_step(self.state, after="templates"))

    def post_finish_finish(self, request: HttpRequest) -> HttpResponse:
        actions.finish(self.state, user=request.user)
        messages.success(
            request, _("Set-up finished. What is still missing stays on the dashboard.")
        )
        return HttpResponseRedirect(reverse("wagtailadmin_home"))


def _kind_label(kind: str) -> str:
    from pctt.dispatch.models import ChannelProvider

    return str(ChannelProvider.Kind(kind).label)


def ward_search(request: HttpRequest) -> JsonResponse:
    """Search-as-you-type for the ward step: a few rows, so it stays light on slow phones."""
    if not request.user.has_perm(actions.RUN):
        return JsonResponse({"error": "forbidden"}, status=403)
    hits = wardsearch.search(request.GET.get("q", ""))
    return JsonResponse(
        {
            "results": [
                {"id": h.pk, "code": h.code, "name": h.name, "province": h.province} for h in hits
            ]
        }
    )


def outline(request: HttpRequest) -> JsonResponse:
    """The outline of the ward's province, simplified: a backdrop to draw on without tiles."""
    if not request.user.has_perm(actions.RUN):
        return JsonResponse({"error": "forbidden"}, status=403)
    state = Onboarding.current()
    features: list[dict[str, Any]] = []
    ward = state.ward if state else None
    units = [ward, ward.parent] if ward is not None else []
    for unit in units:
        geometry = unit.shape() if unit is not None else None
        if unit is not None and geometry is not None:
            simple = geometry.simplify(0.001, preserve_topology=True)
            features.append(
                {
                    "type": "Feature",
                    "geometry": mapping(simple),
                    "properties": {"name": unit.name, "level": unit.level},
                }
            )
    return JsonResponse({"type": "FeatureCollection", "features": features})


def _needs_setup(request: HttpRequest) -> bool:
    return bool(
        request.user.has_perm(actions.RUN)
        and WardSetting.load().ward_id is None
        and not Onboarding.objects.filter(finished_at__isnull=False).exists()
    )


@never_cache
@require_admin_access
def admin_home(request: HttpRequest) -> HttpResponseBase:
    """The back-office home; an administrator of an installation serving no ward yet is
    taken to the set-up wizard instead (first run without the demo)."""
    if _needs_setup(request):
        return HttpResponseRedirect(reverse("onboarding_home"))
    response: HttpResponseBase = HomeView.as_view()(request)
    return response
