"""Back-office screens: stations with level colours, chart, proposals, refused readings."""

from __future__ import annotations

import pytest
from django.test import Client

from pctt.hazards import actions
from pctt.hazards.models.observations import Source
from tests.hazards.factories import RoleKey, gauge, readings_rising, user_with

pytestmark = pytest.mark.django_db


def test_an_operator_sees_levels_chart_and_proposals() -> None:
    station = gauge(thresholds=(3.0, 4.0, 5.0))
    actions.receive_readings(readings_rising([4.8, 5.1]), source=Source.HTTP, only_station=station)
    actions.receive_readings([{"station": station.code, "time": "x"}], source=Source.CSV)
    client = Client()
    client.force_login(user_with(RoleKey.ALERT_OPERATOR, "op"))

    stations = client.get("/admin/stations/").content.decode()
    assert f'data-code="{station.code}" data-level="3"' in stations
    assert 'class="station level-3"' in stations  # the map dot in the alarm colour

    detail = client.get(f"/admin/stations/{station.code}/").content.decode()
    assert detail.count('class="alarm alarm-') == 3 and 'class="observed"' in detail
    assert "Save thresholds" not in detail  # operators do not enter official thresholds

    proposals = client.get("/admin/proposals/").content.decode()
    assert proposals.count('class="proposal"') == 1 and "/admin/warnings/" in proposals
    assert "hazard-proposals" in client.get("/admin/").content.decode()
    assert "malformed" in client.get("/admin/readings/refused/").content.decode()


def test_an_administrator_enters_thresholds_with_a_source() -> None:
    station = gauge()
    client = Client()
    client.force_login(user_with(RoleKey.ADMINISTRATOR, "boss"))
    form = {
        "bd1": "6",
        "bd2": "7",
        "bd3": "8",
        "source_document": "QĐ 9/UBND",
        "source_article": "",
    }
    response = client.post(f"/admin/stations/{station.code}/", form)
    assert response.status_code == 302
    current = station.threshold_set()
    assert current is not None and (current.bd1, current.source_document) == (6.0, "QĐ 9/UBND")
    bad = client.post(f"/admin/stations/{station.code}/", {**form, "bd2": "5"})
    assert bad.status_code == 200 and station.threshold_sets.count() == 2
