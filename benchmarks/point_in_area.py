"""Benchmark: which of 20 residential groups holds each of 1,000,000 points.

A ward-sized box near 105.8E 21.0N is cut into a 5 x 4 grid of irregular polygons that tile it
exactly (neighbours share their wiggly edges, 50-200 vertices each). Points are uniform over a
slightly larger box, so some fall outside every group.

Compared, in the same run, with the same first-match-wins answer:

* ``AreaLocator.locate`` (prepared geometries, bounding-box prefilter), best of 3;
* unprepared ``shapely.contains_xy`` of every point against every polygon, best of 3;
* a per-point ``polygon.contains(Point)`` loop on a 20,000-point sample, scaled to 1,000,000.

Prints one JSON line. Run: ``uv run python benchmarks/point_in_area.py``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import numpy as np
import shapely
from shapely.geometry import Point, Polygon

from pctt.areas.geo import AreaLocator

POINTS = 1_000_000
NAIVE_SAMPLE = 20_000
COLUMNS, ROWS = 5, 4
WEST, SOUTH = 105.80, 21.00
WIDTH, HEIGHT = 0.025, 0.020  # about 2.6 km x 2.2 km


def wiggly_edge(
    a: tuple[float, float], b: tuple[float, float], n: int, rng: np.random.Generator
) -> list[tuple[float, float]]:
    """Points from a to b (a included, b not), jittered sideways but never crossing back."""
    (ax, ay), (bx, by) = a, b
    t = np.linspace(0, 1, n, endpoint=False)
    length = float(np.hypot(bx - ax, by - ay))
    nx, ny = -(by - ay) / length, (bx - ax) / length  # unit normal
    offset = rng.normal(0, length * 0.02, n) * np.sin(np.pi * t)  # 0 at both corners
    return [
        (ax + (bx - ax) * ti + nx * oi, ay + (by - ay) * ti + ny * oi)
        for ti, oi in zip(t.tolist(), offset.tolist(), strict=True)
    ]


def residential_groups(rng: np.random.Generator) -> list[Polygon]:
    cell_w, cell_h = WIDTH / COLUMNS, HEIGHT / ROWS
    # grid corners, moved a little so the cells are not rectangles
    corners = {
        (i, j): (
            WEST + i * cell_w + (rng.uniform(-0.2, 0.2) * cell_w if 0 < i < COLUMNS else 0),
            SOUTH + j * cell_h + (rng.uniform(-0.2, 0.2) * cell_h if 0 < j < ROWS else 0),
        )
        for i in range(COLUMNS + 1)
        for j in range(ROWS + 1)
    }
    edges: dict[tuple[tuple[int, int], tuple[int, int]], list[tuple[float, float]]] = {}

    def edge(p: tuple[int, int], q: tuple[int, int]) -> list[tuple[float, float]]:
        """Shared edges are generated once, so neighbours fit exactly."""
        if (q, p) in edges:
            back = edges[(q, p)]
            return [corners[p], *reversed(back[1:])]
        if (p, q) not in edges:
            edges[(p, q)] = wiggly_edge(corners[p], corners[q], int(rng.integers(13, 50)), rng)
        return edges[(p, q)]

    polygons = []
    for i in range(COLUMNS):
        for j in range(ROWS):
            ring = (
                edge((i, j), (i + 1, j))
                + edge((i + 1, j), (i + 1, j + 1))
                + edge((i + 1, j + 1), (i, j + 1))
                + edge((i, j + 1), (i, j))
            )
            polygon = Polygon(ring)
            assert polygon.is_valid, shapely.is_valid_reason(polygon)
            polygons.append(polygon)
    return polygons


def best_of(runs: int, work: Callable[[], np.ndarray]) -> tuple[float, np.ndarray]:
    best, result = float("inf"), np.empty(0)
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    rng = np.random.default_rng(20250701)
    polygons = residential_groups(rng)
    vertices = [len(p.exterior.coords) - 1 for p in polygons]
    assert min(vertices) >= 50 and max(vertices) <= 200, vertices
    total = sum(p.area for p in polygons)
    assert abs(shapely.union_all(polygons).area - total) < 1e-9 * total  # no overlaps

    margin = 0.002
    lon = rng.uniform(WEST - margin, WEST + WIDTH + margin, POINTS)
    lat = rng.uniform(SOUTH - margin, SOUTH + HEIGHT + margin, POINTS)
    ids = list(range(1, len(polygons) + 1))

    # Separate copies: the locator prepares its geometries in place.
    unprepared = [shapely.from_wkb(shapely.to_wkb(p)) for p in polygons]
    locator = AreaLocator(list(zip(ids, polygons, strict=True)))
    seconds, located = best_of(3, lambda: locator.locate(lon, lat))

    def unprepared_contains_xy() -> np.ndarray:
        out = np.full(POINTS, -1, dtype=np.int64)
        for area_id, polygon in zip(ids, unprepared, strict=True):
            # A 1-element array is not prepared on the fly (a bare geometry would be).
            inside = shapely.contains_xy(np.array([polygon], dtype=object), lon, lat)
            out[inside & (out == -1)] = area_id
        return out

    baseline_seconds, baseline = best_of(3, unprepared_contains_xy)
    assert not any(shapely.is_prepared(p) for p in unprepared)
    assert np.array_equal(located, baseline)

    start = time.perf_counter()
    naive = np.full(NAIVE_SAMPLE, -1, dtype=np.int64)
    for k, (x, y) in enumerate(
        zip(lon[:NAIVE_SAMPLE].tolist(), lat[:NAIVE_SAMPLE].tolist(), strict=True)
    ):
        point = Point(x, y)
        for area_id, polygon in zip(ids, unprepared, strict=True):
            if polygon.contains(point):
                naive[k] = area_id
                break
    naive_seconds = (time.perf_counter() - start) * POINTS / NAIVE_SAMPLE
    assert np.array_equal(located[:NAIVE_SAMPLE], naive)

    print(
        json.dumps(
            {
                "benchmark": "point_in_area",
                "points": POINTS,
                "polygons": len(polygons),
                "seconds": round(seconds, 4),
                "points_per_s": round(POINTS / seconds),
                "baseline_unprepared_seconds": round(baseline_seconds, 4),
                "baseline_naive_seconds_extrapolated": round(naive_seconds, 2),
                "speedup_vs_unprepared": round(baseline_seconds / seconds, 1),
                "speedup_vs_naive": round(naive_seconds / seconds, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
