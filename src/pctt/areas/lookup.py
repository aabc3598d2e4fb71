"""Which residential group contains a point: vectorised for whole subscriber lists."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from shapely.geometry import shape

from pctt.areas.geo import AreaLocator
from pctt.areas.models import AdminUnit


def group_locator(commune: AdminUnit) -> AreaLocator:
    groups = AdminUnit.objects.groups().filter(parent=commune, geometry__isnull=False)
    return AreaLocator([(g.pk, shape(g.geometry)) for g in groups.order_by("code")])


def locate_groups(
    commune: AdminUnit, lon: NDArray[np.float64], lat: NDArray[np.float64]
) -> NDArray[np.int64]:
    """AdminUnit id of the residential group containing each point, or -1."""
    return group_locator(commune).locate(lon, lat)
