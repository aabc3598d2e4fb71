from __future__ import annotations

import pytest
from django.test import Client
from lxml import etree

from pctt import cap
from pctt.accounts.roles import RoleKey
from pctt.alerts import actions
from tests.alerts.factories import issued_flood, user_with

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def people(demo_ward: object) -> tuple[object, object]:
    return user_with(RoleKey.ALERT_OPERATOR, "op"), user_with(RoleKey.ALERT_APPROVER, "ap")


def _entries(client: Client) -> list[etree._Element]:
    response = client.get("/cap/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return etree.fromstring(response.content).findall(f"{ATOM}entry")


def test_an_issued_warning_is_in_the_atom_index_with_a_link_to_its_cap(
    people: tuple[object, object],
) -> None:
    alert = issued_flood(*people)
    client = Client()
    (entry,) = _entries(client)
    link = entry.find(f"{ATOM}link")
    assert link is not None and link.get("type") == "application/cap+xml"
    href = link.get("href")
    assert href.endswith(f"/cap/{alert.identifier}.xml")

    response = client.get(href.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert cap.validate(response.content).valid


def test_drills_stay_off_the_public_feed(people: tuple[object, object]) -> None:
    issued_flood(*people, status="Exercise")
    assert _entries(Client()) == []


def test_cancelled_and_expired_warnings_leave_the_feed(people: tuple[object, object]) -> None:
    operator, approver = people
    alert = issued_flood(operator, approver)
    cancel = actions.start_cancel(alert, user=operator)
    actions.submit(cancel, user=operator)
    actions.approve(cancel, user=approver)
    assert _entries(Client()) == []
    # The messages themselves stay readable: references must resolve.
    assert Client().get(f"/cap/{alert.identifier}.xml").status_code == 200
    assert Client().get(f"/cap/{cancel.identifier}.xml").status_code == 200


def test_feeds_send_etags_and_answer_304_when_unchanged(people: tuple[object, object]) -> None:
    issued_flood(*people)
    client = Client()
    first = client.get("/cap/feed.atom")
    assert "max-age" in first["Cache-Control"]
    again = client.get("/cap/feed.atom", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_drafts_and_unknown_identifiers_are_not_served(people: tuple[object, object]) -> None:
    from tests.alerts.factories import flood_draft

    draft = flood_draft(people[0])
    assert Client().get(f"/cap/{draft.identifier}.xml").status_code == 404
    assert Client().get("/cap/nope.xml").status_code == 404


def test_the_portal_shows_an_active_warning_and_drops_it_when_cancelled(
    people: tuple[object, object],
) -> None:
    operator, approver = people
    alert = issued_flood(operator, approver)
    home = Client().get("/").content.decode()
    assert alert.headline_vi in home and "Hiện không có cảnh báo" not in home
    assert Client().get(f"/canh-bao/{alert.identifier}/").status_code == 200

    cancel = actions.start_cancel(alert, user=operator)
    actions.submit(cancel, user=operator)
    actions.approve(cancel, user=approver)
    home = Client().get("/").content.decode()
    assert alert.headline_vi not in home and "Hiện không có cảnh báo" in home
    page = Client().get(f"/canh-bao/{alert.identifier}/").content.decode()
    assert "không còn hiệu lực" in page


def test_a_drill_on_the_portal_is_labelled_as_not_real(people: tuple[object, object]) -> None:
    issued_flood(*people, status="Exercise")
    home = Client().get("/").content.decode()
    assert "[DIỄN TẬP]" in home and "không phải cảnh báo thật" in home


def test_the_public_warning_page_has_its_audio(people: tuple[object, object]) -> None:
    import shutil

    alert = issued_flood(*people)
    page = Client().get(f"/canh-bao/{alert.identifier}/").content.decode()
    assert f"/canh-bao/{alert.identifier}/am-thanh.wav" in page
    from tests.conftest import IN_CI

    if shutil.which("espeak-ng") is None and not IN_CI:
        pytest.skip("espeak-ng not installed")
    response = Client().get(f"/canh-bao/{alert.identifier}/am-thanh.wav")
    assert response["Content-Type"] == "audio/wav"
    assert b"".join(response.streaming_content)[:4] == b"RIFF"
    assert Client().get("/canh-bao/nope/am-thanh.wav").status_code == 404
