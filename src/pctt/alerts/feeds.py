"""Feeds out: the ward's active warnings as an Atom index (WMO / Alert Hub convention: one entry
per warning linking to its CAP XML) and each warning's CAP XML at a stable address."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from pctt.alerts.models import Alert
from pctt.alerts.rendering import headline
from pctt.areas.models import WardSetting

ATOM = "http://www.w3.org/2005/Atom"
CAP_TYPE = "application/cap+xml"
MAX_AGE = 60  # seconds: aggregators poll every minute or so; a cancel must show fast


def feed_alerts() -> list[Alert]:
    """What the public feed carries: active actual warnings. Drills stay off public feeds."""
    return list(Alert.objects.active().filter(status=Alert.Status.ACTUAL).order_by("-sent"))


def _conditional(request: HttpRequest, body: bytes, content_type: str) -> HttpResponse:
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


def _text(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = text
    return element


def _stamp(moment: datetime | None) -> str:
    return (moment or timezone.now()).isoformat(timespec="seconds")


def atom_bytes(request: HttpRequest) -> bytes:
    ward = WardSetting.load(request_or_site=request)
    alerts = feed_alerts()
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})  # type: ignore[dict-item]
    self_url = request.build_absolute_uri(reverse("alerts_feed_atom"))
    _text(feed, "id", self_url)
    _text(feed, "title", f"Cảnh báo thiên tai — {ward.title or 'pctt'}")
    _text(feed, "updated", _stamp(max((a.sent for a in alerts if a.sent), default=None)))
    etree.SubElement(
        feed, f"{{{ATOM}}}link", rel="self", href=self_url, type="application/atom+xml"
    )
    author = etree.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", ward.title or "pctt")
    for alert in alerts:
        cap_url = request.build_absolute_uri(reverse("alerts_cap_xml", args=[alert.identifier]))
        entry = etree.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", cap_url)
        _text(entry, "title", headline(alert))
        _text(entry, "updated", _stamp(alert.sent))
        _text(entry, "published", _stamp(alert.sent))
        _text(entry, "summary", alert.description_vi[:500])
        etree.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=cap_url, type=CAP_TYPE)
    return etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def atom_feed(request: HttpRequest) -> HttpResponse:
    return _conditional(request, atom_bytes(request), "application/atom+xml; charset=utf-8")


def cap_xml(request: HttpRequest, identifier: str) -> HttpResponse:
    """Any issued message stays readable at its address (references must resolve)."""
    alert = Alert.objects.issued().filter(identifier=identifier).first()
    if alert is None:
        raise Http404("no such warning")
    return _conditional(request, alert.cap_xml.encode(), f"{CAP_TYPE}; charset=utf-8")
