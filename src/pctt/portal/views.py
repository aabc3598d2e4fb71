from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from pctt.alerts.models import Alert
from pctt.alerts.portal import active_for_portal, portal_card
from pctt.areas.models import AdminUnit, HazardZone, WardSetting
from pctt.areas.svg import ward_outline_svg


def library_url() -> str:
    from pctt.library.models import LibraryIndexPage

    index = LibraryIndexPage.objects.live().first()
    return index.url if index is not None and index.url else "/thu-vien/tim-kiem/"


def latest_guidance(count: int = 3) -> list[object]:
    from pctt.library.models import GuidancePage

    return list(GuidancePage.objects.live().order_by("-first_published_at")[:count])


def latest_corrections(count: int = 3) -> list[object]:
    from pctt.community.models import Claim

    return list(Claim.objects.filter(published_at__isnull=False).order_by("-published_at")[:count])


def home(request: HttpRequest) -> HttpResponse:
    ward_setting = WardSetting.load(request_or_site=request)
    ward = ward_setting.ward
    groups = AdminUnit.objects.groups().filter(parent=ward) if ward else AdminUnit.objects.none()
    zones = HazardZone.objects.filter(commune=ward) if ward else HazardZone.objects.none()
    return render(
        request,
        "portal/home.html",
        {
            "ward_name": ward_setting.title,
            "ward": ward,
            "active_alerts": active_for_portal(),
            "outline_svg": ward_outline_svg(ward, list(groups), list(zones)) if ward else "",
            "library_url": library_url(),
            "latest_guidance": latest_guidance(),
            "latest_corrections": latest_corrections(),
        },
    )


def warning(request: HttpRequest, identifier: str) -> HttpResponse:
    alert = Alert.objects.issued().filter(identifier=identifier).first()
    if alert is None:
        raise Http404
    ward_setting = WardSetting.load(request_or_site=request)
    history = Alert.objects.issued().filter(thread=alert.root).order_by("sent")
    return render(
        request,
        "portal/warning.html",
        {
            "ward_name": ward_setting.title,
            "card": portal_card(alert),
            "history": [alert.root, *history]
            if alert.root.state == Alert.State.ISSUED
            else history,
            "is_active": Alert.objects.active().filter(pk=alert.pk).exists(),
        },
    )


def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from the root so that its scope covers the whole portal."""
    from django.templatetags.static import static

    response = render(
        request,
        "portal/sw.js",
        {"css_url": static("pctt/portal/portal.css")},
        content_type="application/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    return response


def warning_audio(request: HttpRequest, identifier: str) -> HttpResponseBase:
    """The warning read aloud (elderly residents listen rather than read)."""
    from pctt.alerts.admin_views import loudspeaker_audio

    alert = Alert.objects.issued().filter(identifier=identifier).first()
    if alert is None:
        raise Http404
    audio = loudspeaker_audio(alert)
    if audio is None:
        raise Http404("speech synthesis is not installed")
    response = FileResponse(audio.path.open("rb"), content_type="audio/wav")
    response["Cache-Control"] = "public, max-age=300"
    return response
