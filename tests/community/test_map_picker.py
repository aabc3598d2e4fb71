"""The hazard form's map: a static SVG of the residential groups; a tap picks the group with
no JavaScript and no map tiles, and keeps what was typed; a point can also come from the
phone's location. Hostile coordinates are refused, nothing is lost."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from lxml import etree

from pctt.areas.models import AdminUnit
from pctt.community import abuse
from pctt.community.mappick import GroupMap
from pctt.community.models import Submission
from tests.community.conftest import jpeg

pytestmark = pytest.mark.django_db
URL = "/y-kien/gui/"
# Four square groups, two by two: 1 north-west, 2 north-east, 3 south-west, 4 south-east.
WEST, EAST, SOUTH, NORTH = 105.80, 105.82, 21.00, 21.02


def _square(lon0: float, lat0: float, lon1: float, lat1: float) -> dict[str, Any]:
    ring = [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def mapped(ward: AdminUnit) -> dict[int, AdminUnit]:
    mid_lon, mid_lat = (WEST + EAST) / 2, (SOUTH + NORTH) / 2
    boxes = {
        1: (WEST, mid_lat, mid_lon, NORTH),
        2: (mid_lon, mid_lat, EAST, NORTH),
        3: (WEST, SOUTH, mid_lon, mid_lat),
        4: (mid_lon, SOUTH, EAST, mid_lat),
    }
    groups = {}
    for number, box in boxes.items():
        group = AdminUnit.objects.get(code=f"T-G{number}")
        group.name = f"Tổ dân phố {number} <b>&"  # names are escaped in the picture
        group.set_geometry(_square(*box))
        group.save()
        groups[number] = group
    return groups


def _form(**fields: Any) -> dict[str, Any]:
    return {
        "kind": "hazard",
        "text": "Nước tràn qua đường, ngập nửa bánh xe",
        "started": abuse.started_token(time.time() - 30),
        "website": "",
        **fields,
    }


def test_the_form_shows_the_map_as_an_image_button_that_needs_no_script(
    client: Client, mapped: dict[int, AdminUnit]
) -> None:
    html = client.get(URL).content.decode()
    assert 'type="image" name="map" src="/y-kien/ban-do.svg"' in html
    assert 'width="320"' in html
    svg = client.get("/y-kien/ban-do.svg?chon=" + str(mapped[2].pk))
    assert svg["Content-Type"].startswith("image/svg+xml")
    tree = etree.fromstring(svg.content, etree.XMLParser(resolve_entities=False, no_network=True))
    assert tree.tag == "{http://www.w3.org/2000/svg}svg"
    assert not tree.findall(".//{http://www.w3.org/2000/svg}script")
    titles = [t.text for t in tree.iter("{http://www.w3.org/2000/svg}title")]
    assert "Tổ dân phố 2 <b>&" in titles  # text, not markup
    chosen = tree.findall(".//{http://www.w3.org/2000/svg}g[@class='group chosen']")
    assert [g.findtext("{http://www.w3.org/2000/svg}title") for g in chosen] == [
        "Tổ dân phố 2 <b>&"
    ]


def test_without_outlines_there_is_no_map_and_the_list_still_works(
    client: Client, ward: AdminUnit
) -> None:
    assert 'name="map"' not in client.get(URL).content.decode()
    assert client.get("/y-kien/ban-do.svg").status_code == 404


@pytest.mark.parametrize(("tap", "number"), [((60, 60), 1), ((260, 60), 2), ((260, 290), 4)])
def test_a_tap_picks_the_group_and_keeps_what_was_typed(
    client: Client, mapped: dict[int, AdminUnit], tap: tuple[int, int], number: int
) -> None:
    response = client.post(URL, _form(**{"map.x": str(tap[0]), "map.y": str(tap[1])}))
    html = response.content.decode()
    assert response.status_code == 200 and not Submission.objects.exists()
    assert f'<option value="{mapped[number].pk}" selected>' in html
    assert "Nước tràn qua đường" in html
    assert re.search(r'<input type="radio" name="kind" value="hazard"[^>]* checked>', html)
    assert "errorlist" not in html  # nothing is wrong yet: the resident has not sent it
    assert f"ban-do.svg?chon={mapped[number].pk}" in html


def test_the_picked_group_and_point_are_sent_with_the_report(
    client: Client, mapped: dict[int, AdminUnit]
) -> None:
    photo = SimpleUploadedFile("a.jpg", jpeg(), content_type="image/jpeg")
    picked = client.post(URL, _form(photo=photo, **{"map.x": "60", "map.y": "60"}))
    html = picked.content.decode()
    # The photo chosen before the tap is kept for the real submission.
    token = html.split('name="photo_token" value="', 1)[1].split('"', 1)[0]
    lon = html.split('name="point_lon" value="', 1)[1].split('"', 1)[0]
    lat = html.split('name="point_lat" value="', 1)[1].split('"', 1)[0]
    sent = client.post(
        URL,
        _form(residential_group=str(mapped[1].pk), point_lon=lon, point_lat=lat, photo_token=token),
    )
    assert sent.status_code == 302
    report = Submission.objects.get()
    assert report.residential_group == mapped[1] and report.photo
    assert WEST < report.lon < (WEST + EAST) / 2 and (SOUTH + NORTH) / 2 < report.lat < NORTH


def test_a_phone_location_gives_the_group_when_none_was_chosen(
    client: Client, mapped: dict[int, AdminUnit]
) -> None:
    client.post(URL, _form(point_lon="105.815", point_lat="21.005"))
    report = Submission.objects.get()
    assert report.residential_group == mapped[4] and (report.lon, report.lat) == (105.815, 21.005)


def test_pressing_enter_sends_the_form_rather_than_tapping_a_corner(
    client: Client, mapped: dict[int, AdminUnit]
) -> None:
    response = client.post(URL, _form(**{"map.x": "0", "map.y": "0"}))
    assert response.status_code == 302 and Submission.objects.count() == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"point_lon": "nan", "point_lat": "21"},
        {"point_lon": "1e999", "point_lat": "21"},
        {"point_lon": "105.8", "point_lat": "95"},
        {"point_lon": "<script>", "point_lat": "21"},
    ],
)
def test_hostile_coordinates_are_refused_and_the_text_kept(
    client: Client, mapped: dict[int, AdminUnit], fields: dict[str, str]
) -> None:
    response = client.post(URL, _form(**fields))
    assert response.status_code == 400 and not Submission.objects.exists()
    assert "Nước tràn qua đường" in response.content.decode()


@pytest.mark.parametrize("tap", [("99999999", "5"), ("-3", "4"), ("5000", "10"), ("a", "b")])
def test_taps_outside_the_picture_or_malformed_change_nothing(
    client: Client, mapped: dict[int, AdminUnit], tap: tuple[str, str]
) -> None:
    response = client.post(URL, _form(**{"map.x": tap[0], "map.y": tap[1]}))
    assert response.status_code in (200, 302)
    if response.status_code == 302:  # a malformed tap is no tap: the report is sent as is
        assert Submission.objects.get().residential_group is None


def test_the_picture_maps_back_to_the_same_points(mapped: dict[int, AdminUnit]) -> None:
    group_map = GroupMap.for_ward()
    assert group_map is not None
    assert group_map.pick(0, 0) is not None
    assert group_map.pick(group_map.shown_width + 1, 0) is None
    corner = group_map.pick(group_map.shown_width, group_map.shown_height)
    assert corner is not None and corner.group_pk is None  # the margin is outside the ward
