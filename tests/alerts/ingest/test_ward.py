"""Does an upstream warning concern our ward? Geometry first, names when geometry is missing."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import shape

from pctt.alerts.ingest.area import circle_polygon
from pctt.alerts.ingest.poll import poll_feed
from pctt.alerts.models import UpstreamAlert
from pctt.cap import Area, parse
from tests.alerts.ingest.conftest import Site, atom, atom_of, cap_alert, cap_file, make_feed


def polygon(lon0: float, lat0: float, lon1: float, lat1: float) -> str:
    corners = [(lat0, lon0), (lat0, lon1), (lat1, lon1), (lat1, lon0), (lat0, lon0)]
    return " ".join(f"{lat},{lon}" for lat, lon in corners)


def stored_for(site: Site, area: Area) -> UpstreamAlert:
    feed = make_feed(site.add("/feed", atom_of(cap_alert(area=area))))
    poll_feed(feed)
    return UpstreamAlert.objects.get()


def test_a_polygon_over_the_ward_concerns_it(demo_ward: object, site: Site) -> None:
    area = Area(area_desc="Vùng núi phía Bắc", polygons=(polygon(104.3, 22.0, 104.5, 22.2),))

    stored = stored_for(site, area)

    assert stored.intersects_ward
    assert stored.geometry is not None and stored.geometry["type"] == "Polygon"


def test_a_polygon_over_ha_noi_does_not(demo_ward: object, site: Site) -> None:
    # Named "Lào Cai" on purpose: where there is geometry, the geometry decides.
    area = Area(area_desc="Tỉnh Lào Cai", polygons=(polygon(105.7, 20.9, 105.95, 21.1),))

    assert not stored_for(site, area).intersects_ward


def test_a_circle_around_the_ward_concerns_it(demo_ward: object, site: Site) -> None:
    area = Area(area_desc="Tâm động đất", circles=("22.08,104.40 5",))

    assert stored_for(site, area).intersects_ward


def test_an_area_named_after_the_province_concerns_the_ward(demo_ward: object, site: Site) -> None:
    assert stored_for(site, Area(area_desc="Tỉnh Lào Cai")).intersects_ward


@pytest.mark.parametrize(
    ("area_desc", "concerns"),
    [
        ("Các tỉnh Yên Bái, Lào Cai và Hà Giang", True),
        ("Lao Cai province", True),
        ("Tỉnh Yên Bái", False),
        ("Thành phố Hà Nội", False),
    ],
)
def test_province_names_are_found_in_longer_area_descriptions(
    demo_ward: object, site: Site, area_desc: str, concerns: bool
) -> None:
    assert stored_for(site, Area(area_desc=area_desc)).intersects_ward is concerns


@pytest.mark.django_db
def test_without_a_ward_nothing_concerns_us(site: Site) -> None:
    assert not stored_for(site, Area(area_desc="Tỉnh Lào Cai")).intersects_ward


@pytest.mark.django_db
def test_a_41009_vertex_polygon_is_stored_simplified(site: Site) -> None:
    data = cap_file("wis2box_burkina_faso_41k_vertex_polygon.xml")
    site.add("/bf.xml", data)
    feed = make_feed(site.add("/feed", atom(("bf", "/bf.xml", None))))

    result = poll_feed(feed)

    assert result.new == 1, result.rejected
    stored = UpstreamAlert.objects.get()
    geometry = shape(stored.geometry)
    assert shapely.get_num_coordinates(geometry) <= 2_000
    original = parse(data).alerts[0].infos[0].areas[0].polygons[0]
    assert len(original.split()) == 41_009
    assert not stored.intersects_ward


def test_a_circle_becomes_a_polygon_of_the_right_size() -> None:
    circle = circle_polygon(22.0, 104.4, 10)
    _west, south, _east, north = circle.bounds
    assert north - south == pytest.approx(20 / 110.57, rel=0.01)
    assert circle_polygon(22.0, 104.4, 0).geom_type == "Point"
