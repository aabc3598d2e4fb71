"""Point-in-area lookup (pctt.areas.geo.locate) against a naive per-point shapely check."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from pctt.areas.geo import NOT_FOUND, AreaLocator


def naive(
    areas: list[tuple[int, BaseGeometry]], lon: np.ndarray, lat: np.ndarray, boundary: bool
) -> np.ndarray:
    out = np.full(len(lon), -1, dtype=np.int64)
    for i, (x, y) in enumerate(zip(lon.tolist(), lat.tolist(), strict=True)):
        point = Point(x, y)
        for area_id, geometry in areas:
            if geometry.intersects(point) if boundary else geometry.contains(point):
                out[i] = area_id
                break
    return out


def blob(cx: float, cy: float, r: float, n: int, rng: np.random.Generator) -> Polygon:
    """A star-shaped irregular polygon (always valid)."""
    angles = np.sort(rng.uniform(0, 2 * math.pi, n))
    radii = r * rng.uniform(0.5, 1.0, n)
    return Polygon(np.column_stack([cx + radii * np.cos(angles), cy + radii * np.sin(angles)]))


def random_areas(rng: np.random.Generator) -> list[tuple[int, BaseGeometry]]:
    areas: list[tuple[int, BaseGeometry]] = []
    for i in range(12):
        cx, cy = rng.uniform(0, 10, 2)
        shell = blob(cx, cy, rng.uniform(0.5, 2.5), int(rng.integers(5, 60)), rng)
        if i % 3 == 0:  # with a hole
            shell = shell.difference(box(cx - 0.2, cy - 0.2, cx + 0.2, cy + 0.2))
        if i % 4 == 1:  # two parts
            shell = MultiPolygon([shell, box(cx + 3, cy + 3, cx + 3.5, cy + 3.8)]).buffer(0)
        areas.append((100 + i, shell))
    return areas


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("include_boundary", [False, True])
def test_matches_naive_check(seed: int, include_boundary: bool) -> None:
    rng = np.random.default_rng(seed)
    areas = random_areas(rng)
    assert any(isinstance(g, Polygon) and g.interiors for _, g in areas)
    n = 3000
    lon = rng.uniform(-2, 14, n)
    lat = rng.uniform(-2, 14, n)
    # points in the holes, on vertices (boundary), far outside, and NaN
    holes = [g for _, g in areas if isinstance(g, Polygon) and g.interiors]
    hole_points = np.array([g.interiors[0].centroid.coords[0] for g in holes])
    vertices = np.array([g.exterior.coords[0] for _, g in areas if isinstance(g, Polygon)])
    extra = np.vstack([hole_points, vertices, [[500.0, 500.0], [np.nan, 5.0], [5.0, np.nan]]])
    lon = np.concatenate([lon, extra[:, 0]])
    lat = np.concatenate([lat, extra[:, 1]])

    locator = AreaLocator(areas, include_boundary=include_boundary)
    got = locator.locate(lon, lat)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, naive(areas, lon, lat, include_boundary))
    assert (got == -1).any() and (got >= 100).any()
    # a point in a hole is not in the area with the hole (it may be in an overlapping one)
    in_holes = got[n : n + len(hole_points)].tolist()
    hole_owners = [a for a, g in areas if isinstance(g, Polygon) and g.interiors]
    assert all(found != owner for found, owner in zip(in_holes, hole_owners, strict=True))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(-4, 14).map(lambda v: v / 2), st.integers(-4, 14).map(lambda v: v / 2)
        ),
        max_size=30,
    ),
    st.booleans(),
)
def test_grid_points_match_naive_check(points: list[tuple[float, float]], boundary: bool) -> None:
    # half-unit grid points fall on edges and corners of these squares a lot
    areas: list[tuple[int, BaseGeometry]] = [
        (1, box(0, 0, 2, 2)),
        (2, box(2, 0, 4, 2)),  # shares an edge with 1
        (3, box(1, 1, 3, 3)),  # overlaps 1 and 2
        (4, box(0, 4, 6, 6).difference(box(1, 4.5, 2, 5.5))),  # with a hole
    ]
    lon = np.array([p[0] for p in points], dtype=np.float64)
    lat = np.array([p[1] for p in points], dtype=np.float64)
    got = AreaLocator(areas, include_boundary=boundary).locate(lon, lat)
    np.testing.assert_array_equal(got, naive(areas, lon, lat, boundary))


def test_first_match_wins_where_areas_overlap() -> None:
    big, small = box(0, 0, 10, 10), box(4, 4, 6, 6)
    assert AreaLocator([(1, small), (2, big)]).locate_one(5, 5) == 1
    assert AreaLocator([(2, big), (1, small)]).locate_one(5, 5) == 2
    assert AreaLocator([(1, small), (2, big)]).locate_one(1, 1) == 2


def test_boundary_points() -> None:
    areas: list[tuple[int, BaseGeometry]] = [(1, box(0, 0, 1, 1)), (2, box(1, 0, 2, 1))]
    assert AreaLocator(areas).locate_one(1.0, 0.5) is None  # shared edge: in neither
    assert AreaLocator(areas, include_boundary=True).locate_one(1.0, 0.5) == 1
    assert AreaLocator(areas).locate_one(0.5, 0.5) == 1


def test_shapes_scalars_and_empty_input() -> None:
    locator = AreaLocator([(7, box(0, 0, 1, 1))])
    grid = locator.locate(np.array([[0.5, 2.0], [0.1, 0.9]]), np.array([[0.5, 0.5], [0.1, 0.9]]))
    np.testing.assert_array_equal(grid, [[7, -1], [7, 7]])
    assert locator.locate(0.5, np.array([0.5, 3.0])).tolist() == [7, -1]  # broadcasting
    assert locator.locate(np.array([]), np.array([])).shape == (0,)
    assert locator.locate_one(0.5, 0.5) == 7
    assert locator.locate_one(5, 5) is None
    assert locator.locate_one(math.nan, 0.5) is None
    assert len(locator) == 1


def test_no_areas_and_empty_geometries() -> None:
    assert AreaLocator([]).locate(np.array([1.0]), np.array([1.0])).tolist() == [NOT_FOUND]
    locator = AreaLocator([(1, Polygon()), (2, box(0, 0, 1, 1))])
    assert locator.locate_one(0.5, 0.5) == 2


def test_geometries_are_prepared() -> None:
    square = box(0, 0, 1, 1)
    AreaLocator([(1, square)])
    assert shapely.is_prepared(square)


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="area ids must be >= 0"):
        AreaLocator([(-1, box(0, 0, 1, 1))])
    with pytest.raises(TypeError, match="expected a shapely geometry, got list"):
        AreaLocator([(1, [[0, 0], [1, 1]])])
