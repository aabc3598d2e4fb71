"""Public pages under /y-kien/: the submission form, the status of one's message by code,
and "Tin đồn và sự thật" (rumours and facts), the published corrections, newest first."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from pctt.areas.models import WardSetting
from pctt.community import abuse, actions, claimreview
from pctt.community.forms import PublicSubmissionForm
from pctt.community.models import Claim, Submission

logger = logging.getLogger("pctt.community.views")

#: Bodies larger than this are refused before parsing (8 MB photo + the text fields).
MAX_FORM_BYTES = 9 * 1024 * 1024


def _context(request: HttpRequest, **extra: object) -> dict[str, object]:
    return {"ward_name": WardSetting.load(request_or_site=request).title, **extra}


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(
            request, "community/submit.html", _context(request, form=PublicSubmissionForm())
        )
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_FORM_BYTES:
        form = PublicSubmissionForm()
        return render(
            request,
            "community/submit.html",
            _context(request, form=form, too_large=True),
            status=413,
        )
    form = PublicSubmissionForm(request.POST, request.FILES)
    if form.is_bot:
        # Do not teach bots what gave them away: the same page a person gets, nothing saved.
        return HttpResponseRedirect(reverse("community:thanks", args=["--------"]))
    if not abuse.allow("portal", abuse.client_address(request)):
        return render(
            request,
            "community/submit.html",
            _context(request, form=form, rate_limited=True),
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
    return render(request, "community/submit.html", _context(request, form=form), status=400)


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
