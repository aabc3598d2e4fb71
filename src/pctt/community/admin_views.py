"""Back-office screens: the triage queue (bulk actions), one submission, official entry,
claims and their corrections, summaries. Views parse and authorise; actions change state."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from pctt.community import actions, summaries
from pctt.community.forms import AnswerForm, BulkForm, OfficialEntryForm
from pctt.community.models import OPEN_STATUSES, Claim, Kind, Status, Submission

HOME = {"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Home")}
QUEUE = {"url": reverse_lazy("community_queue"), "label": gettext_lazy("Residents' voice")}
CLAIMS = {"url": reverse_lazy("community_claims"), "label": gettext_lazy("Rumours and claims")}


def _need(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied(permission)


class _Page(WagtailAdminTemplateMixin, TemplateView):  # type: ignore[misc]
    header_icon = "help"
    permission = actions.VIEW

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        _need(request, self.permission)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[no-any-return]


class QueueView(_Page):
    template_name = "community/admin/queue.html"
    page_title = gettext_lazy("Residents' voice")
    breadcrumbs_items = [HOME, {"url": "", "label": gettext_lazy("Residents' voice")}]

    def rows(self) -> Any:
        get = self.request.GET
        rows = (
            actions.visible_submissions(self.request.user)
            .leaders()
            .select_related("assigned_organisation", "assigned_user", "residential_group")
            .annotate(group_size=Count("grouped"))
        )
        status = get.get("status", "open")
        if status == "open":
            rows = rows.filter(status__in=OPEN_STATUSES)
        elif status in Status.values:
            rows = rows.filter(status=status)
        if get.get("kind") in Kind.values:
            rows = rows.filter(kind=get["kind"])
        if get.get("mine"):
            orgs = self.request.user.memberships.values_list("organisation_id", flat=True)  # type: ignore[union-attr]
            rows = rows.filter(
                Q(assigned_user=self.request.user) | Q(assigned_organisation__in=orgs)
            )
        q = get.get("q", "").strip()[:100]
        if q:
            rows = rows.filter(text__icontains=q)
        return rows.order_by("-urgent", "due_at", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = Paginator(self.rows(), 100).get_page(self.request.GET.get("p"))
        form = BulkForm(ids=[])
        form.fields["organisation"].queryset = actions.assignable_organisations(  # type: ignore[attr-defined]
            self.request.user
        )
        context.update(
            page=page,
            now=timezone.now(),
            kinds=Kind.choices,
            statuses=Status.choices,
            status=self.request.GET.get("status", "open"),
            kind=self.request.GET.get("kind", ""),
            q=self.request.GET.get("q", "")[:100],
            bulk=form,
            can_triage=self.request.user.has_perm(actions.TRIAGE),
            query=self.request.GET.urlencode(),
        )
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        """Bulk actions for surges: hundreds of rows in one request."""
        _need(request, actions.TRIAGE)
        raw = [v for v in request.POST.getlist("ids") if v.isdigit()][:1000]
        ids = [int(v) for v in raw]
        form = BulkForm(request.POST, ids=ids)
        back = HttpResponseRedirect(
            reverse("community_queue") + "?" + request.POST.get("query", "")[:500]
        )
        if not ids or not form.is_valid():
            messages.error(request, _("Choose at least one row and an action."))
            return back
        chosen = list(actions.visible_submissions(request.user).filter(pk__in=ids).order_by("pk"))
        if len(chosen) != len(set(ids)):
            messages.error(request, _("Some of these submissions are not in your queue."))
            return back
        data = form.cleaned_data
        try:
            count = self._apply(data, chosen)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return back
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("You may not do this."))
            return back
        messages.success(request, _("%(count)s submissions updated.") % {"count": count})
        return back

    def _apply(self, data: dict[str, Any], chosen: list[Submission]) -> int:
        user = self.request.user
        action = data["action"]
        if action == "assign":
            org = data.get("organisation")
            return actions.assign(chosen, user=user, organisation_id=org.pk if org else None)
        if action == "status":
            return actions.set_status(chosen, data.get("status") or "", user=user)
        if action == "theme":
            return actions.set_theme(chosen, data.get("theme") or "", user=user)
        if action == "answer":
            return sum(actions.answer(s, data.get("answer") or "", user=user) for s in chosen)
        if action == "merge":
            return actions.merge(chosen[1:], into=chosen[0], user=user)
        claim = actions.claim_from_reports(chosen, user=user)
        return claim.reports.count()


class DetailView(_Page):
    template_name = "community/admin/detail.html"
    page_title = gettext_lazy("Submission")
    breadcrumbs_items = [HOME, QUEUE, {"url": "", "label": gettext_lazy("Submission")}]

    def submission(self) -> Submission:
        return get_object_or_404(
            actions.visible_submissions(self.request.user).select_related(
                "residential_group",
                "assigned_organisation",
                "claim",
                "warning_draft",
                "group_leader",
            ),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        submission = self.submission()
        user = self.request.user
        context.update(
            submission=submission,
            grouped=submission.grouped.order_by("received_at"),
            answer_form=kwargs.get("answer_form")
            or AnswerForm(initial={"answer": submission.answer}),
            organisations=actions.assignable_organisations(user),
            can_triage=user.has_perm(actions.TRIAGE),
            can_draft_warning=user.has_perm(actions.DRAFT_WARNING)
            and submission.kind == Kind.HAZARD,
            can_make_claim=user.has_perm(actions.EDIT_CLAIM) and submission.kind == Kind.CLAIM,
            is_open=submission.status in OPEN_STATUSES,
        )
        return context

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        submission = self.submission()
        verb = request.POST.get("verb", "")
        here = HttpResponseRedirect(reverse("community_detail", args=[pk]))
        try:
            if verb == "answer":
                form = AnswerForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(answer_form=form))
                count = actions.answer(submission, form.cleaned_data["answer"], user=request.user)
                messages.success(
                    request, _("Answered (%(count)s in the group).") % {"count": count}
                )
            elif verb == "assign":
                org = request.POST.get("organisation", "")
                actions.assign(
                    [submission],
                    user=request.user,
                    organisation_id=int(org) if org.isdigit() else None,
                )
                messages.success(request, _("Assigned."))
            elif verb == "warning":
                draft = actions.hazard_to_warning_draft(submission, user=request.user)
                messages.success(request, _("Warning draft created: check it, then submit it."))
                return HttpResponseRedirect(reverse("alerts_detail", args=[draft.pk]))
            elif verb == "qa":
                page_id = actions.propose_for_qa(submission, user=request.user)
                messages.success(
                    request,
                    _("Q&A draft created in the library.")
                    if page_id
                    else _("Proposed for the Q&A library; the editors will pick it up."),
                )
            elif verb == "claim":
                claim = actions.claim_from_reports([submission], user=request.user)
                return HttpResponseRedirect(reverse("community_claim", args=[claim.pk]))
            elif verb == "erase":
                _need(request, actions.TRIAGE)
                actions.erase_contact(submission, user=request.user, reason="resident request")
                messages.success(request, _("Contact deleted."))
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("You may not do this."))
        return here


class PhotoView(View):
    """Photos are not public: officials see them through this view."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        _need(request, actions.VIEW)
        submission = get_object_or_404(actions.visible_submissions(request.user), pk=pk)
        if not submission.photo:
            raise Http404
        response = FileResponse(submission.photo.open("rb"), content_type="image/jpeg")
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Disposition"] = "inline"
        return response


class NewView(_Page):
    template_name = "community/admin/new.html"
    page_title = gettext_lazy("Record a call or a meeting")
    permission = actions.TRIAGE
    breadcrumbs_items = [HOME, QUEUE, {"url": "", "label": gettext_lazy("Record")}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or OfficialEntryForm()
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        form = OfficialEntryForm(request.POST)
        if form.is_valid():
            try:
                submission = actions.receive(form.intake(), user=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if form.cleaned_data.get("theme"):
                    actions.set_theme([submission], form.cleaned_data["theme"], user=request.user)
                messages.success(request, _("Recorded as %(ref)s.") % {"ref": submission.reference})
                return HttpResponseRedirect(reverse("community_detail", args=[submission.pk]))
        return self.render_to_response(self.get_context_data(form=form))


class ClaimsView(_Page):
    template_name = "community/admin/claims.html"
    page_title = gettext_lazy("Rumours and claims")
    permission = "community.view_claim"
    breadcrumbs_items = [HOME, {"url": "", "label": gettext_lazy("Rumours and claims")}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        claims = Claim.objects.annotate(
            open_reports=Count("reports", filter=Q(reports__status__in=OPEN_STATUSES))
        ).order_by("published_at", "-first_seen", "-pk")
        context.update(claims=claims, can_edit=self.request.user.has_perm(actions.EDIT_CLAIM))
        return context


class ClaimView(_Page):
    """One claim: verification, verdict, correction preview, publish, send out."""

    template_name = "community/admin/claim.html"
    page_title = gettext_lazy("Claim")
    permission = "community.view_claim"
    breadcrumbs_items = [HOME, CLAIMS, {"url": "", "label": gettext_lazy("Claim")}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        claim = get_object_or_404(Claim, pk=self.kwargs["pk"])
        user = self.request.user
        context.update(
            claim=claim,
            problems=actions.correction_problems(claim),
            reports=claim.reports.order_by("received_at"),
            can_edit=user.has_perm(actions.EDIT_CLAIM),
            can_publish=user.has_perm(actions.PUBLISH),
            can_send=user.has_perm(actions.DRAFT_WARNING) and claim.is_published,
        )
        return context

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        claim = get_object_or_404(Claim, pk=pk)
        verb = request.POST.get("verb", "")
        try:
            if verb == "publish":
                url = request.build_absolute_uri(reverse("community:correction", args=[claim.slug]))
                actions.publish_correction(claim, user=request.user, url=url)
                messages.success(request, _("Correction published."))
            elif verb == "unpublish":
                actions.unpublish_correction(claim, user=request.user)
                messages.success(request, _("Correction withdrawn from the portal."))
            elif verb == "send":
                draft = actions.correction_to_warning_draft(claim, user=request.user)
                messages.success(request, _("Warning draft created: it needs approval to be sent."))
                return HttpResponseRedirect(reverse("alerts_detail", args=[draft.pk]))
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(reverse("community_claim", args=[pk]))


class SummaryView(_Page):
    template_name = "community/admin/summary.html"
    page_title = gettext_lazy("What residents ask and worry about")
    permission = "community.view_summary"
    breadcrumbs_items = [HOME, {"url": "", "label": gettext_lazy("Summaries")}]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        months = request.GET.get("months", "12")
        count = min(max(int(months), 1), 36) if months.isdigit() else 12
        summary = summaries.build(count)
        export = request.GET.get("export", "")
        if export in ("counts", "texts"):
            since: date = summary.months[0]
            body = (
                summaries.counts_csv(summary) if export == "counts" else summaries.texts_csv(since)
            )
            response = HttpResponse(body, content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="y-kien-{export}.csv"'
            return response
        context = self.get_context_data(**kwargs)
        context.update(
            summary=summary,
            months=count,
            theme_rows=summary.rows(summary.by_theme),
            group_rows=summary.rows(summary.by_group),
            kind_rows=summary.rows(summary.by_kind),
            chart=summaries.bar_chart_svg(summary),
        )
        return self.render_to_response(context)
