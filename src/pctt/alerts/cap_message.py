"""The CAP 1.2 message for one of the ward's warnings."""

from __future__ import annotations

from typing import Any

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from pctt import cap
from pctt.alerts.models import Alert
from pctt.alerts.rendering import headline


def _polygons(geometry: BaseGeometry) -> tuple[str, ...]:
    """CAP polygons ("lat,lon lat,lon …", closed) for the outer rings of a geometry."""
    rings = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        coords = polygon.exterior.coords
        rings.append(" ".join(f"{lat:.6f},{lon:.6f}" for lon, lat in coords))
    return tuple(rings)


def _areas(alert: Alert) -> tuple[cap.Area, ...]:
    areas = []
    for unit in alert.areas.all().order_by("code"):
        geometry = unit.shape()
        areas.append(
            cap.Area(
                area_desc=unit.name, polygons=_polygons(geometry) if geometry is not None else ()
            )
        )
    for zone in alert.zones.all().order_by("code"):
        geometry = zone.shape()
        areas.append(
            cap.Area(
                area_desc=zone.name, polygons=_polygons(geometry) if geometry is not None else ()
            )
        )
    if alert.drawn_area:
        areas.append(
            cap.Area(
                area_desc="Khu vực vẽ trên bản đồ", polygons=_polygons(shape(alert.drawn_area))
            )
        )
    return tuple(areas)


def _reference(message: Alert) -> str:
    assert message.sent is not None
    return f"{message.sender},{message.identifier},{cap_time(message)}"


def cap_time(message: Alert) -> str:
    assert message.sent is not None
    return message.sent.isoformat(timespec="seconds")


def build(alert: Alert) -> cap.Alert:
    assert alert.sent is not None, "a CAP message is built when the warning is issued"
    common: dict[str, Any] = {
        "categories": (alert.category,),
        "urgency": alert.urgency,
        "severity": alert.severity,
        "certainty": alert.certainty,
        "response_types": (alert.response_type,),
        "effective": alert.effective,
        "onset": alert.onset,
        "expires": alert.expires,
        "areas": _areas(alert),
        "parameters": (
            (cap.ValuePair("pctt:riskLevel", str(alert.risk_level)),) if alert.risk_level else ()
        )
        + (cap.ValuePair("pctt:loudspeakerPriority", alert.loudspeaker_priority),),
    }
    infos = [
        cap.Info(
            language="vi-VN",
            event=alert.event_vi,
            headline=headline(alert),
            description=alert.description_vi,
            instruction=alert.instruction_vi,
            **common,
        )
    ]
    if alert.headline_en:
        infos.append(
            cap.Info(
                language="en-US",
                event=alert.event_en or alert.event_vi,
                headline=headline(alert, english=True),
                description=alert.description_en or None,
                instruction=alert.instruction_en or None,
                **common,
            )
        )
    references = None
    if alert.references is not None:
        chain = [alert.references]
        references = " ".join(_reference(m) for m in chain)
    return cap.Alert(
        identifier=alert.identifier,
        sender=alert.sender,
        sent=alert.sent,
        status=alert.status,
        msg_type=alert.msg_type,
        scope="Public",
        note=alert.note or None,
        references=references,
        infos=tuple(infos),
    )


def xml(alert: Alert) -> bytes:
    return cap.to_xml(build(alert))
