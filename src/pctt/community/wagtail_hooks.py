"""Back office: the triage queue, claims (edited in a Wagtail view set, saved through the
actions layer), summaries; one menu group "Residents' voice"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.views.generic import CreateView, EditView
from wagtail.admin.viewsets.model import ModelViewSet

from pctt.accounts.admin_audit import recording
from pctt.community import actions, admin_views
from pctt.community.models import Claim, ClaimChannel


class ClaimForm(WagtailAdminModelForm):
    channels = forms.MultipleChoiceField(
        label=_("seen on"),
        choices=ClaimChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean_channels(self) -> list[str]:
        return list(self.cleaned_data.get("channels") or [])


class _SaveThroughActions:
    """Wagtail's generic views would save the model directly; ours go through actions."""

    request: Any
    form: Any

    def save_instance(self) -> Claim:
        claim: Claim = self.form.save(commit=False)
        previous = None
        if claim.pk:
            previous = Claim.objects.filter(pk=claim.pk).values_list("verdict", flat=True).first()
        with recording(user=self.request.user, instance=claim):  # before/after in the log
            actions.save_claim(claim, user=self.request.user, previous_verdict=previous)
            self.form.save_m2m()
            # Child rows (variants, evidence) are saved with the cluster.
            claim.save()
        return claim

    def get_success_url(self) -> str:
        return reverse("community_claim", args=[self.object.pk])  # type: ignore[attr-defined]


class ClaimCreateView(_SaveThroughActions, CreateView):
    pass


class ClaimEditView(_SaveThroughActions, EditView):
    pass


class ClaimViewSet(ModelViewSet):
    model = Claim
    icon = "warning"
    menu_label = _("Claims")
    add_to_admin_menu = False
    add_view_class = ClaimCreateView
    edit_view_class = ClaimEditView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["__str__", "verdict", "first_seen", "published_at"]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel(
                    "wording", help_text=_("The claim as residents passed it on, word for word.")
                ),
                FieldPanel("first_seen", help_text=_("The day the claim was first seen.")),
                FieldPanel("channels", help_text=_("Where it was seen: tick every channel.")),
            ],
            heading=_("The claim"),
        ),
        InlinePanel(
            "variants",
            heading=_("Other wordings"),
            label=_("variant"),
            panels=[
                FieldPanel(
                    "wording", help_text=_("Another way the same claim is told, word for word.")
                ),
                FieldPanel(
                    "seen_on", help_text=_("The day it was seen, dd/mm/yyyy; may be empty.")
                ),
            ],
        ),
        InlinePanel(
            "evidence",
            heading=_("Verification: evidence"),
            label=_("evidence"),
            panels=[
                FieldPanel("kind", help_text=_("Where the evidence comes from.")),
                FieldPanel(
                    "description",
                    help_text=_(
                        "What it shows, e.g. Đài KTTV tỉnh: không có bão trong 3 ngày tới."
                    ),
                ),
                FieldPanel("url", help_text=_("Optional: the web address of the source.")),
            ],
        ),
        FieldPanel(
            "verdict", help_text=_("Set it only after checking the evidence with its source.")
        ),
        MultiFieldPanel(
            [
                FieldPanel("title", help_text=_("A plain title that states the facts.")),
                FieldPanel(
                    "slug", help_text=_("The page address: letters without accents and hyphens.")
                ),
                FieldPanel("facts", help_text=_("What is true, with the source to check it.")),
                FieldPanel(
                    "short_text",
                    help_text=_("A short version for SMS, Zalo and the loudspeaker."),
                ),
            ],
            heading=_("Correction"),
        ),
    ]

    def get_form_class(self, for_update: bool = False) -> Any:
        Claim.base_form_class = ClaimForm  # type: ignore[attr-defined]
        return super().get_form_class(for_update)


@hooks.register("register_admin_viewset")
def register_claim_viewset() -> ModelViewSet:
    return ClaimViewSet("community_claim_edit", url_prefix="community/claims/edit")


@hooks.register("register_admin_urls")
def register_community_urls() -> list[object]:
    return [
        path("community/", admin_views.QueueView.as_view(), name="community_queue"),
        path("community/new/", admin_views.NewView.as_view(), name="community_new"),
        path("community/<int:pk>/", admin_views.DetailView.as_view(), name="community_detail"),
        path(
            "community/<int:pk>/photo.jpg", admin_views.PhotoView.as_view(), name="community_photo"
        ),
        path("community/claims/", admin_views.ClaimsView.as_view(), name="community_claims"),
        path("community/claims/<int:pk>/", admin_views.ClaimView.as_view(), name="community_claim"),
        path("community/summary/", admin_views.SummaryView.as_view(), name="community_summary"),
    ]


class _PermissionItem(MenuItem):
    def __init__(self, *args: Any, permission: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request: Any) -> bool:
        return bool(request.user.has_perm(self.permission))


class _Group(SubmenuMenuItem):
    def is_shown(self, request: Any) -> bool:
        return any(item.is_shown(request) for item in self.menu.registered_menu_items)


@hooks.register("register_admin_menu_item")
def register_community_menu() -> MenuItem:
    items = [
        _PermissionItem(
            _("Triage queue"),
            reverse("community_queue"),
            icon_name="list-ul",
            order=1,
            permission=actions.VIEW,
        ),
        _PermissionItem(
            _("Rumours and claims"),
            reverse("community_claims"),
            icon_name="warning",
            order=2,
            permission="community.view_claim",
        ),
        _PermissionItem(
            _("Summaries"),
            reverse("community_summary"),
            icon_name="table",
            order=3,
            permission="community.view_summary",
        ),
    ]
    return _Group(_("Residents' voice"), Menu(items=items), icon_name="help", order=150)
