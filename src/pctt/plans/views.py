"""The phone page for recording an activity (works offline: see static/pctt/plans/entry.js)."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import ensure_csrf_cookie

from pctt.areas.models import AdminUnit
from pctt.plans import actions
from pctt.plans.models import ActivityKind, Clause, Plan


@ensure_csrf_cookie
def entry(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisations = actions.organisations_of(request.user)
    plan = Plan.current()
    wards = {o.ward_id for o in organisations}
    context = {
        "organisations": organisations,
        "plan": plan,
        "kinds": [
            (k, label) for k, label in ActivityKind.choices if k not in ("warning", "publication")
        ],
        "groups": AdminUnit.objects.groups().filter(parent_id__in=wards).order_by("code"),
        "themes": plan.clauses.filter(kind=Clause.Kind.THEME) if plan else [],
        "forms": plan.clauses.filter(kind=Clause.Kind.FORM) if plan else [],
        "today": timezone.localdate(),
    }
    return render(request, "plans/entry.html", context)
