"""Phone pages: recording an activity (works offline: see static/pctt/plans/entry.js), the
list of one's recent activities, and correcting one (online, a plain form)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie

from pctt.accounts.uploads import check_upload
from pctt.areas.models import AdminUnit
from pctt.plans import actions
from pctt.plans.models import Activity, ActivityKind, Clause, Plan
from pctt.plans.sync_api import COUNTS

#: What an activity photo may be; `actions.add_activity_photo` then decodes it with Pillow.
PHOTO_KINDS = ("jpeg", "png", "webp", "gif")

#: Kinds only the system records: not offered to people.
AUTOMATIC_KINDS = ("warning", "publication")
RECENT = 30


def _choices(plan: Plan | None, ward_ids: set[int]) -> dict[str, Any]:
    return {
        "plan": plan,
        "kinds": [(k, label) for k, label in ActivityKind.choices if k not in AUTOMATIC_KINDS],
        "groups": AdminUnit.objects.groups().filter(parent_id__in=ward_ids).order_by("code"),
        "themes": plan.clauses.filter(kind=Clause.Kind.THEME) if plan else [],
        "forms": plan.clauses.filter(kind=Clause.Kind.FORM) if plan else [],
        "materials": actions.material_choices()[:200],
        "today": timezone.localdate(),
    }


@ensure_csrf_cookie
def entry(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisations = actions.organisations_of(request.user)
    context = _choices(Plan.current(), {o.ward_id for o in organisations})
    context["organisations"] = organisations
    return render(request, "plans/entry.html", context)


def mine(request: HttpRequest) -> HttpResponse:
    """The recent activities of the organisations a person records for, to correct one."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisations = actions.organisations_of(request.user)
    activities = (
        Activity.objects.filter(organisation__in=organisations)
        .select_related("organisation")
        .prefetch_related("photos")[:RECENT]
    )
    rows = [(a, actions.may_edit(request.user, a)) for a in activities]
    return render(request, "plans/mine.html", {"rows": rows, "organisations": organisations})


def _input_from_post(request: HttpRequest, activity: Activity) -> actions.ActivityInput:
    """The edit form as an ActivityInput; malformed numbers and ids are field errors."""
    from datetime import date

    errors: dict[str, list[str]] = {}
    post = request.POST
    try:
        held_on = date.fromisoformat(post.get("held_on", ""))
    except ValueError:
        errors["held_on"] = [_("Enter a valid date.")]
        held_on = activity.held_on
    counts: dict[str, int] = {}
    for name in COUNTS:
        text = post.get(name, "").strip() or "0"
        if not text.isdigit() or int(text) > 1_000_000:
            errors[name] = [_("Enter a whole number from 0 to 1,000,000.")]
        else:
            counts[name] = int(text)
    ids: dict[str, list[int]] = {}
    for name in ("groups", "materials"):
        values = post.getlist(name)
        if len(values) > 50 or not all(v.isdigit() and len(v) < 12 for v in values):
            errors[name] = [_("Expected a short list.")]
            values = []
        ids[name] = [int(v) for v in values]
    texts = {"place": post.get("place", ""), "description": post.get("description", "")}
    if len(texts["place"]) > 200 or len(texts["description"]) > 4000:
        errors["description"] = [_("Text too long (at most %(n)s characters).") % {"n": 4000}]
    if errors:
        raise ValidationError(errors)
    return actions.ActivityInput(
        kind=post.get("kind", ""),
        held_on=held_on,
        group_ids=ids["groups"],
        theme_codes=post.getlist("themes")[:50],
        form_code=post.get("form", "")[:10],
        material_ids=ids["materials"],
        place=texts["place"],
        description=texts["description"],
        participants=counts["participants"],
        women=counts["women"],
        ethnic_minority=counts["ethnic_minority"],
        disabled=counts["disabled"],
        elderly=counts["elderly"],
        youth=counts["youth"],
        copies=counts["copies"],
    )


def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an activity; the rule (own organisation, administrators any) is in
    `actions.edit_activity`. Photos are added here too, one file per request."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    activity = get_object_or_404(Activity.objects.select_related("organisation", "plan"), pk=pk)
    if not actions.may_edit(request.user, activity):
        raise PermissionDenied(_("You may change activities only of your own organisation."))
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            upload = request.FILES.get("photo")
            if upload is not None:
                if upload.size is not None and upload.size > actions.MAX_PHOTO_BYTES:
                    raise ValidationError({"photo": [_("The photo is larger than 8 MB.")]})
                try:
                    check_upload(upload, kinds=PHOTO_KINDS, max_bytes=actions.MAX_PHOTO_BYTES)
                except ValidationError as exc:
                    raise ValidationError({"photo": exc.messages}) from exc
                actions.add_activity_photo(user=request.user, activity=activity, data=upload.read())
                messages.success(request, _("Photo added."))
                return HttpResponseRedirect(reverse("plans_edit", args=[pk]))
            data = _input_from_post(request, activity)
            actions.edit_activity(user=request.user, activity=activity, data=data)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        else:
            messages.success(request, _("Activity saved."))
            return HttpResponseRedirect(reverse("plans_mine"))
    context = _choices(activity.plan, {activity.organisation.ward_id})
    context.update(
        activity=activity,
        errors=errors,
        chosen_groups=set(activity.groups.values_list("pk", flat=True)),
        chosen_themes=set(activity.themes.values_list("code", flat=True)),
        chosen_materials=set(activity.materials.values_list("pk", flat=True)),
        photos=activity.photos.all(),
        max_photos=actions.MAX_PHOTOS,
    )
    return render(request, "plans/edit.html", context, status=400 if errors else 200)
