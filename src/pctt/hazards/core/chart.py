"""A water-level chart as SVG: observations, forecast (dashed) and the three alarm lines.

Plain strings, no plotting library; every text is escaped.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from pctt.hazards.core.levels import ROMAN, Thresholds

WIDTH, HEIGHT, PAD_LEFT, PAD = 720, 300, 48, 24
LINE_COLOURS = {1: "#d4a300", 2: "#e06c00", 3: "#c0001a"}


def svg_chart(
    observed: list[tuple[datetime, float]],
    forecast: list[tuple[datetime, float]],
    thresholds: Thresholds | None,
    *,
    title: str,
    unit: str = "m",
) -> str:
    points = observed + forecast
    if not points:
        return ""
    values = [v for _t, v in points]
    if thresholds is not None:
        values += [thresholds.bd1, thresholds.bd3]
    low, high = min(values), max(values)
    span = max(high - low, 0.1)
    low, high = low - span * 0.08, high + span * 0.08
    start = min(t for t, _v in points)
    seconds = max((max(t for t, _v in points) - start).total_seconds(), 1.0)

    def x(at: datetime) -> float:
        return PAD_LEFT + (at - start).total_seconds() / seconds * (WIDTH - PAD_LEFT - PAD)

    def y(value: float) -> float:
        return PAD + (high - value) / (high - low) * (HEIGHT - 2 * PAD)

    def polyline(series: list[tuple[datetime, float]], css: str) -> str:
        coords = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in sorted(series))
        return f'<polyline class="{css}" points="{coords}"/>' if series else ""

    parts = [
        f'<svg class="hazard-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<rect x="{PAD_LEFT}" y="{PAD}" width="{WIDTH - PAD_LEFT - PAD}" '
        f'height="{HEIGHT - 2 * PAD}" fill="#fafbfc" stroke="#ccd"/>',
    ]
    if thresholds is not None:
        for level in (1, 2, 3):
            value = thresholds.value(level)
            parts.append(
                f'<line class="alarm alarm-{level}" x1="{PAD_LEFT}" x2="{WIDTH - PAD}" '
                f'y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="{LINE_COLOURS[level]}" '
                f'stroke-dasharray="6 3"/>'
                f'<text x="{WIDTH - PAD - 2}" y="{y(value) - 3:.1f}" text-anchor="end" '
                f'fill="{LINE_COLOURS[level]}" font-size="11">'
                f"BĐ{ROMAN[level]} {value:.2f} {escape(unit)}</text>"
            )
    for value in (low, (low + high) / 2, high):
        parts.append(
            f'<text x="{PAD_LEFT - 4}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="10">'
            f"{value:.2f}</text>"
        )
    parts.append(f'<text x="{PAD_LEFT}" y="{HEIGHT - 6}" font-size="10">{start:%d/%m %H:%M}</text>')
    parts.append(
        polyline(observed, "observed").replace(
            "<polyline", '<polyline fill="none" stroke="#1c4f8a" stroke-width="2"'
        )
    )
    parts.append(
        polyline(forecast, "forecast").replace(
            "<polyline",
            '<polyline fill="none" stroke="#1c4f8a" stroke-width="2" stroke-dasharray="4 4"',
        )
    )
    parts.append("</svg>")
    return "".join(parts)
