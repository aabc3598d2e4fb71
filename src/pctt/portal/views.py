from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pctt.areas.models import AdminUnit, HazardZone, WardSetting
from pctt.areas.svg import ward_outline_svg


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
            "active_alerts": [],
            "outline_svg": ward_outline_svg(ward, list(groups), list(zones)) if ward else "",
        },
    )
