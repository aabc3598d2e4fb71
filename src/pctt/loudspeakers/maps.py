"""The clusters on the ward's map: coverage circles coloured by state, as inline SVG (no tiles,
no JavaScript, so it works offline and on a phone)."""

from __future__ import annotations

import shapely
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from pctt.areas.models import AdminUnit
from pctt.areas.svg import WIDTH, _path, _Projection
from pctt.loudspeakers.models import ClusterDevice

METRES_PER_DEGREE = 111_320.0


def state_label(state: str) -> str:
    labels = {
        "online": _("online"),
        "playing": _("playing"),
        "offline": _("offline"),
        "unknown": _("never heard from"),
    }
    return str(labels.get(state, state))


def clusters_svg(devices: list[ClusterDevice], groups: list[AdminUnit]) -> SafeString:
    placed = [d for d in devices if d.lon is not None and d.lat is not None]
    shapes = [(g, s) for g in groups if (s := g.shape()) is not None]
    geoms = [s for _g, s in shapes]
    for d in placed:
        assert d.lon is not None and d.lat is not None
        pad = d.coverage_radius_m / METRES_PER_DEGREE
        geoms.append(shapely.box(d.lon - pad * 1.5, d.lat - pad, d.lon + pad * 1.5, d.lat + pad))
    if not geoms:
        return mark_safe("")
    proj = _Projection(shapely.GeometryCollection(geoms).bounds)
    group_paths = format_html_join(
        "",
        '<g class="group"><title>{}</title><path d="{}"/></g>',
        ((g.name, _path(s, proj)) for g, s in shapes),
    )
    circles = []
    for d in placed:
        assert d.lon is not None and d.lat is not None
        x, y = proj.point(d.lon, d.lat).split(",")
        radius = d.coverage_radius_m / METRES_PER_DEGREE * proj.scale
        circles.append(
            format_html(
                '<g class="cluster state-{}" data-controller="{}">'
                '<circle class="coverage" cx="{}" cy="{}" r="{}"/>'
                '<circle class="dot" cx="{}" cy="{}" r="6"/>'
                '<text x="{}" y="{}">{}</text><title>{} — {}</title></g>',
                d.state,
                d.cluster.controller_id,
                x,
                y,
                f"{radius:.1f}",
                x,
                y,
                f"{float(x) + 9:.1f}",
                f"{float(y) + 4:.1f}",
                d.cluster.controller_id,
                d.cluster.name,
                state_label(d.state),
            )
        )
    return format_html(
        '<svg class="loudspeaker-map" viewBox="-4 -4 {} {}" role="img" aria-label="{}">{}{}</svg>',
        WIDTH + 8,
        f"{proj.height + 8:.0f}",
        _("Loudspeaker clusters and their coverage"),
        group_paths,
        mark_safe("".join(circles)),  # noqa: S308 - each part built with format_html
    )
