"""Which area contains each of many points (households, sensor sites, phone cell centroids).

:class:`AreaLocator` answers for a whole array of points at once: for each area it takes the
points inside the area's bounding box (found by binary search on the points sorted by longitude,
then a latitude test), and runs shapely's vectorised ``contains_xy`` on them against the prepared
polygon. Cost per area is roughly the number of points in its bounding box, not the number of
points overall, so thousands of communes stay cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

__all__ = ["NOT_FOUND", "AreaLocator"]

NOT_FOUND: Final = -1

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class AreaLocator:
    """Point-in-area lookup over a fixed set of ``(area id, polygon)`` pairs.

    Area ids must be non-negative (``-1`` means "no area"). Where areas overlap, the first one
    in the sequence that contains the point wins: pass smaller or more specific areas first
    (residential groups before their commune, say).

    With ``include_boundary=False`` (the default) a point exactly on an area's boundary is not in
    it, as in shapely's ``contains``; with ``include_boundary=True`` it is (``intersects``), so
    that a point on the edge shared by two neighbours goes to the first of them rather than to
    neither. Points with NaN coordinates are in no area.

    The geometries are prepared in place (``shapely.prepare``), which speeds up later uses of
    the same objects elsewhere too.
    """

    def __init__(
        self,
        areas: Sequence[tuple[int, BaseGeometry]],
        *,
        include_boundary: bool = False,
    ) -> None:
        ids = [int(area_id) for area_id, _ in areas]
        if any(i < 0 for i in ids):
            raise ValueError("area ids must be >= 0; -1 means 'no area'")
        geometries = [geometry for _, geometry in areas]
        for geometry in geometries:
            if not isinstance(geometry, BaseGeometry):
                raise TypeError(f"expected a shapely geometry, got {type(geometry).__name__}")
        self.ids: IntArray = np.asarray(ids, dtype=np.int64)
        self.geometries: list[BaseGeometry] = geometries
        self.include_boundary = include_boundary
        # (minx, miny, maxx, maxy) per area; NaN for empty geometries, which then match nothing.
        self.bounds: FloatArray = np.asarray(
            shapely.bounds(np.asarray(geometries, dtype=object)), dtype=np.float64
        ).reshape(len(geometries), 4)
        shapely.prepare(np.asarray(geometries, dtype=object))

    def __len__(self) -> int:
        return len(self.geometries)

    def locate(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> IntArray:
        """Area id containing each point, or -1; the result has the broadcast shape of the input."""
        x, y = np.broadcast_arrays(
            np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
        )
        shape = x.shape
        x = x.ravel()
        y = y.ravel()
        result: IntArray = np.full(x.shape, NOT_FOUND, dtype=np.int64)
        if x.size == 0 or not self.geometries:
            return result.reshape(shape)

        # Sorting by longitude once turns each bounding-box x-range into a slice. NaNs sort last
        # and never fall inside a range.
        order = np.argsort(x)
        xs = x[order]
        ys = y[order]
        unassigned = np.ones(x.shape, dtype=bool)  # indexed like xs/ys
        predicate = shapely.intersects_xy if self.include_boundary else shapely.contains_xy

        for area_id, geometry, (minx, miny, maxx, maxy) in zip(
            self.ids.tolist(), self.geometries, self.bounds.tolist(), strict=True
        ):
            if not minx <= maxx:  # empty geometry: NaN bounds
                continue
            start = int(np.searchsorted(xs, minx, side="left"))
            stop = int(np.searchsorted(xs, maxx, side="right"))
            if start == stop:
                continue
            window_y = ys[start:stop]
            candidates = unassigned[start:stop] & (window_y >= miny) & (window_y <= maxy)
            (hits,) = np.nonzero(candidates)
            if hits.size == 0:
                continue
            hits += start
            inside = np.asarray(predicate(geometry, xs[hits], ys[hits]), dtype=bool)
            found = hits[inside]
            result[order[found]] = area_id
            unassigned[found] = False
        return result.reshape(shape)

    def locate_one(self, lon: float, lat: float) -> int | None:
        """Area id containing the point, or ``None``."""
        found = int(self.locate(np.array([lon]), np.array([lat]))[0])
        return None if found == NOT_FOUND else found
