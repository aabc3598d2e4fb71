"""Public pages under /y-kien/: the submission form, the status of one's message by code,
and "Tin đồn và sự thật" (rumours and facts), the published corrections, newest first."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pctt.areas.models import WardSetting
from pctt.community import abuse, actions, claimreview
from pctt.community.forms import PublicSubmissionForm
from pctt.community.mappick import GroupMap
from pctt.community.models import Claim, Kind, Submission
from pctt.community.models.submissions import TEXT_MAX

logger = logging.getLogger("pctt.community.views")

#: Bodies larger than this are refused before parsing (8 MB photo + the text fields).
MAX_FORM_BYTES = 9 * 1024 * 1024


def _context(request: HttpRequest, **extra: object) -> dict[str, object]:
    return {"ward_name": WardSetting.load(request_or_site=request).title, **extra}


def _form_context(request: HttpRequest, form: PublicSubmissionForm, **extra: object) -> Any:
    group_map = GroupMap.for_ward()
    chosen = form["residential_group"].value()
    return _context(
        request,
        form=form,
        group_map=group_map,
        map_query=f"?chon={chosen}" if str(chosen or "").isdigit() else "",
        **extra,
    )


def _tap(request: HttpRequest) -> tuple[int, int] | None:
    """The pixel tapped on the map image. Pressing Enter in a text field also "clicks" the
    form's first image button, at (0, 0): that is a plain submission, not a tap."""
    x, y = request.POST.get("map.x", ""), request.POST.get("map.y", "")
    if not (x.isdigit() and y.isdigit() and len(x) < 6 and len(y) < 6):
        return None
    return None if (x, y) == ("0", "0") else (int(x), int(y))


def _picked(request: HttpRequest, tap: tuple[int, int]) -> HttpResponse:
    """Show the form again with the tapped group chosen and everything typed kept."""
    group_map = GroupMap.for_ward()
    pick = group_map.pick(*tap) if group_map else None
    data = request.POST.copy()
    for key in ("map.x", "map.y"):
        data.pop(key, None)
    if pick is not None:
        data["residential_group"] = str(pick.group_pk or "")
        data["point_lon"], data["point_lat"] = str(pick.lon), str(pick.lat)
    checked = PublicSubmissionForm(data, request.FILES)
    checked.is_valid()  # cleans the photo so that it can be kept for the real submission
    checked.keep_photo_for_retry()
    kept = checked.data
    # Unbound, so that fields not filled in yet show no error; the same values.
    form = PublicSubmissionForm(initial={name: kept.get(name) for name in kept})
    form.initial["started"] = kept.get("started") or form.initial["started"]
    return render(
        request,
        "community/submit.html",
        _form_context(
            request,
            form,
            picked=pick,
            picked_outside=pick is not None and not pick.group_pk,
            picked_name=next(
                (g.name for g in group_map.groups if pick and g.pk == pick.group_pk), ""
            )
            if group_map
            else "",
        ),
    )


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        form = PublicSubmissionForm()
        asked = request.GET.get("q", "").strip()[:TEXT_MAX]
        if asked:  # from the library: a question its search or assistant could not answer
            form.initial.update(kind=Kind.QUESTION, text=asked)
        return render(request, "community/submit.html", _form_context(request, form))
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_FORM_BYTES:
        form = PublicSubmissionForm()
        return render(
            request,
            "community/submit.html",
            _form_context(request, form, too_large=True),
            status=413,
        )
    tap = _tap(request)
    if tap is not None and not request.POST.get("website"):
        return _picked(request, tap)
    form = PublicSubmissionForm(request.POST, request.FILES)
    if form.is_bot:
        # Do not teach bots what gave them away: the same page a person gets, nothing saved.
        return HttpResponseRedirect(reverse("community:thanks", args=["--------"]))
    if not abuse.allow("portal", abuse.client_address(request)):
        return render(
            request,
            "community/submit.html",
            _form_context(request, form, rate_limited=True),
            status=429,
        )
    if form.is_valid():
        try:
            submission = actions.receive(form.intake())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return HttpResponseRedirect(reverse("community:thanks", args=[submission.reference]))
    form.keep_photo_for_retry()
    return render(request, "community/submit.html", _form_context(request, form), status=400)


def group_map_svg(request: HttpRequest) -> HttpResponse:
    """The picture of the ward's residential groups the form's map shows (public data)."""
    group_map = GroupMap.for_ward()
    if group_map is None:
        raise Http404
    chosen = request.GET.get("chon", "")
    svg = group_map.svg(
        chosen=int(chosen) if chosen.isdigit() and len(chosen) < 10 else None,
        title=_("Residential groups of the ward: tap yours"),
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=300"
    return response


def thanks(request: HttpRequest, reference: str) -> HttpResponse:
    return render(request, "community/thanks.html", _context(request, reference=reference[:12]))


@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    """What happened to my message: by its code, nothing else. Also deletes the contact."""
    reference = (request.POST.get("reference") or request.GET.get("ma") or "").strip().upper()[:12]
    submission = None
    erased = False
    if reference:
        if not abuse.allow("status", abuse.client_address(request)):
            return render(
                request, "community/status.html", _context(request, rate_limited=True), status=429
            )
        submission = Submission.objects.filter(reference=reference).first()
        if submission is not None and request.method == "POST" and request.POST.get("erase"):
            erased = actions.erase_contact(submission, reason="resident request")
            submission.refresh_from_db()
    return render(
        request,
        "community/status.html",
        _context(request, reference=reference, submission=submission, erased=erased),
        status=404 if reference and submission is None else 200,
    )


def rumours(request: HttpRequest) -> HttpResponse:
    claims = Claim.objects.filter(published_at__isnull=False).order_by("-published_at", "-pk")
    page = Paginator(claims, 20).get_page(request.GET.get("p"))
    return render(request, "community/rumours.html", _context(request, page=page))


def correction(request: HttpRequest, slug: str) -> HttpResponse:
    claim = get_object_or_404(Claim, slug=slug[:80], published_at__isnull=False)
    if claim.verdict not in claimreview.RATINGS:
        raise Http404
    ward_name = WardSetting.load(request_or_site=request).title
    assert claim.published_at is not None
    review = claimreview.Review(
        url=request.build_absolute_uri(),
        claim=claim.wording,
        verdict=claim.verdict,
        verdict_label=claim.get_verdict_display(),
        first_seen=claim.first_seen,
        published=claim.published_at,
        publisher=ward_name or "PCTT",
        title=claim.title,
        variants=tuple(v.wording for v in claim.variants.all()),
    )
    return render(
        request,
        "community/correction.html",
        _context(
            request,
            claim=claim,
            json_ld=claimreview.script_json(claimreview.claim_review(review)),
        ),
    )
