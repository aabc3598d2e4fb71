"""Small server-side charts (SVG or PNG bytes) for dashboards and reports.

Pure Python plus matplotlib, no Django import. The Agg backend draws without a display, and
DejaVu Sans (matplotlib's bundled font) carries Vietnamese diacritics.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Literal

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

__all__ = ["bar_chart", "line_chart"]

Format = Literal["svg", "png"]
_COLOUR = "#1d5fa8"
_ALERT = "#c62828"


def _render(figure: plt.Figure, fmt: Format) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    # A fixed date keeps SVG output identical between runs (reproducible reports).
    metadata = {"Date": None} if fmt == "svg" else {}
    figure.savefig(buffer, format=fmt, dpi=150, metadata=metadata)
    plt.close(figure)
    return buffer.getvalue()


def bar_chart(
    values: Mapping[str, float],
    *,
    title: str,
    fmt: Format = "svg",
    highlight_zero: bool = False,
    horizontal: bool = False,
) -> bytes:
    """Bars in the order given; with `highlight_zero`, empty bars show as a red mark so a
    residential group with no activity stands out."""
    labels = list(values)
    heights = [float(v) for v in values.values()]
    height = max(2.5, 0.35 * len(labels) + 1) if horizontal else 3.2
    figure, axes = plt.subplots(figsize=(6.4, height))
    colours = [_ALERT if highlight_zero and h == 0 else _COLOUR for h in heights]
    if horizontal:
        axes.barh(labels, heights, color=colours)
        axes.invert_yaxis()
        if highlight_zero:
            for index, value in enumerate(heights):
                if value == 0:
                    axes.plot(0, index, marker="x", color=_ALERT)
    else:
        axes.bar(labels, heights, color=colours)
        axes.tick_params(axis="x", labelrotation=45 if len(labels) > 6 else 0)
    axes.set_title(title, fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    return _render(figure, fmt)


def line_chart(values: Mapping[str, float], *, title: str, fmt: Format = "svg") -> bytes:
    figure, axes = plt.subplots(figsize=(6.4, 3.2))
    axes.plot(list(values), [float(v) for v in values.values()], marker="o", color=_COLOUR)
    axes.set_title(title, fontsize=11)
    axes.set_ylim(bottom=0)
    axes.spines[["top", "right"]].set_visible(False)
    return _render(figure, fmt)
