"""The audit log: who, when, from where, before/after; append-only; never a contact in clear;
viewable, filterable and exportable by administrators only."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from wagtail.models import ModelLogEntry

from pctt.accounts import request_context
from pctt.accounts.audit import log_action
from pctt.accounts.models import AuditEntry
from pctt.accounts.privacy import scrub
from pctt.accounts.roles import RoleKey
from pctt.dispatch import consent as consents
from pctt.dispatch.actions import confirm_consent, handle_inbound_sms, request_consent
from pctt.dispatch.models import Consent, Subscriber
from tests.alerts.factories import user_with

pytestmark = pytest.mark.django_db

PHONES = ("+84912345678", "0912345678", "912345678", "84912345678", "0912 345 678")
EMAIL = "nguyen.van.a@mail.example.vn"


def test_an_entry_records_who_when_from_where_and_before_after() -> None:
    user = user_with(RoleKey.ADMINISTRATOR, "qt")
    request = RequestFactory().post("/x", REMOTE_ADDR="192.0.2.10")
    with request_context.bound(request):
        entry = log_action("test.change", user=user, instance=user, before={"a": 1}, after={"a": 2})
    entry.refresh_from_db()
    assert (entry.actor, entry.actor_label, entry.ip) == (user, "qt", "192.0.2.10")
    assert (entry.before, entry.after) == ({"a": 1}, {"a": 2})
    assert entry.at is not None and entry.object_type == "auth.User"
    assert log_action("test.system", user=None).ip is None  # outside a request: no address


def test_the_address_behind_a_trusted_proxy_is_the_clients(settings: Any) -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.4"
    )
    assert request_context.client_ip(request) == "127.0.0.1"  # no proxy trusted: not spoofable
    settings.PCTT_TRUSTED_PROXIES = 1
    assert request_context.client_ip(request) == "198.51.100.4"
    request.META["HTTP_X_FORWARDED_FOR"] = "not-an-address"
    assert request_context.client_ip(request) is None


def test_requests_through_the_middleware_carry_their_address_into_the_log() -> None:
    client = Client(REMOTE_ADDR="203.0.113.77")
    client.force_login(user_with(RoleKey.ADMINISTRATOR, "qt"))
    assert AuditEntry.objects.get(action="accounts.sign_in").ip is None  # not via a request
    client.get("/admin/audit/export/?format=json")
    assert AuditEntry.objects.get(action="accounts.audit.export").ip == "203.0.113.77"


def test_entries_cannot_be_changed_or_deleted() -> None:
    entry = log_action("test.once", user=None, data={"x": 1})
    entry.data = {"x": 2}
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
    with pytest.raises(ValueError, match="append-only"):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).data == {"x": 1}


@pytest.mark.parametrize("phone", PHONES)
def test_phone_numbers_and_e_mail_addresses_are_masked_wherever_they_appear(phone: str) -> None:
    entry = log_action(
        "test.contact",
        user=None,
        data={
            "note": f"gọi {phone} hoặc viết {EMAIL}",
            "phone": phone,
            "nested": [{"contact": EMAIL}, phone],
            "count": 4242,
        },
        before={"email": EMAIL},
        after={"phone": "+84912345678"},
    )
    stored = json.dumps([entry.data, entry.before, entry.after], ensure_ascii=False)
    assert "345678" not in stored and "4242" in stored  # numbers that are not contacts stay
    assert "345 678" not in stored
    assert EMAIL not in stored and "nguyen.van.a" not in stored
    assert "@mail.example.vn" in stored  # the domain stays: which kind of address it was


def test_dates_codes_and_identifiers_are_left_alone() -> None:
    data = {
        "held_on": "2025-09-15",
        "sent": "2025-09-15T07:30:00+07:00",
        "identifier": "pctt-DEMO-00001.3f2a9c0b1d",
        "reference": "alert:42:v3",
        "water_level": "12,4",
    }
    assert scrub(data) == data


def _all_logged_text() -> str:
    audit = list(AuditEntry.objects.values("actor_label", "object_id", "data", "before", "after"))
    wagtail = list(ModelLogEntry.objects.values("label", "data"))
    return json.dumps([audit, wagtail], ensure_ascii=False, default=str)


def test_subscriber_actions_leave_no_phone_number_or_e_mail_in_the_logs(
    demo_ward: object, django_capture_on_commit_callbacks: Any
) -> None:
    phone, email = "+84912345678", "resident.test@mail.example.vn"
    with django_capture_on_commit_callbacks(execute=True):
        sms = consents.subscribe(
            channel="sms", address=phone, residential_group_id=None, receives_drills=False
        )
        mail = consents.subscribe(
            channel="email", address=email, residential_group_id=None, receives_drills=True
        )
    code = consents.tokens.opt_in_code(sms.pk, consents._salt(sms))
    handle_inbound_sms(phone, code)
    confirm_consent(mail, "000000")  # a wrong code is logged too
    request_consent(sms.subscriber, "sms", method=Consent.Method.PAPER_FORM)
    handle_inbound_sms("0912 345 678", "STOP")
    # The administrator adds and edits a subscriber in the back office.
    admin = Client()
    admin.force_login(get_user_model().objects.get(username="quantri"))
    created = admin.post(
        "/admin/subscriber/new/",
        {"phone": "+84987654321", "email": "other.person@mail.example.vn", "language": "vi"},
    )
    assert created.status_code == 302
    assert Subscriber.objects.filter(email="other.person@mail.example.vn").exists()
    logged = _all_logged_text()
    assert AuditEntry.objects.filter(action__startswith="dispatch.consent").count() >= 3
    for secret in (
        "912345678",
        "912 345 678",
        "987654321",
        "resident.test@",
        "other.person@",
        "resident.test",
    ):
        assert secret not in logged, secret
    assert Subscriber.objects.filter(phone=phone).exists()  # the data itself is kept


@pytest.fixture
def entries(db: None) -> list[AuditEntry]:
    alice = user_with(RoleKey.ALERT_OPERATOR, "alice")
    bob = user_with(RoleKey.EDITOR, "bob")
    made = [
        log_action("pctt.alerts.draft", user=alice, instance=alice, data={"h": "lũ"}),
        log_action("pctt.alerts.submit", user=alice, data={"note": "=HYPERLINK(1)"}),
        log_action("library.page_published", user=bob, data={"title": "Sơ tán"}),
    ]
    AuditEntry.objects.filter(pk=made[0].pk).update(at="2024-01-02T03:00:00+07:00")
    return made


def _admin_client() -> Client:
    client = Client()
    client.force_login(user_with(RoleKey.ADMINISTRATOR, "qt"))
    return client


def test_administrators_list_filter_and_open_entries(entries: list[AuditEntry]) -> None:
    client = _admin_client()
    page = client.get("/admin/audit/").content.decode()
    assert page.count("<tr>") >= 4
    assert "bob" in client.get("/admin/audit/?user=bob").content.decode()
    only_alice = client.get("/admin/audit/?user=alice&action=pctt.alerts").content.decode()
    assert "library.page_published" not in only_alice and "pctt.alerts.submit" in only_alice
    old = client.get("/admin/audit/?until=2024-12-31").content.decode()
    assert "pctt.alerts.draft" in old and "pctt.alerts.submit" not in old
    by_object = client.get(f"/admin/audit/?object_type=auth.User&object_id={entries[0].object_id}")
    assert "pctt.alerts.draft" in by_object.content.decode()
    assert client.get("/admin/audit/?since=not-a-date&p=zzz").status_code == 200
    detail = client.get(f"/admin/audit/{entries[0].pk}/").content.decode()
    assert "02/01/2024" in detail and "lũ" in detail


def test_exports_in_csv_and_json_follow_the_filters(entries: list[AuditEntry]) -> None:
    client = _admin_client()
    response = client.get("/admin/audit/export/?user=alice&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["action"] for r in rows] == ["pctt.alerts.submit", "pctt.alerts.draft"]
    assert json.loads(rows[0]["data"])["note"] == "=HYPERLINK(1)"
    assert all(not cell.startswith("=") for row in rows for cell in row.values())
    exported = client.get("/admin/audit/export/?action=library&format=json")
    body = json.loads(b"".join(exported.streaming_content))  # type: ignore[attr-defined]
    assert [e["action"] for e in body] == ["library.page_published"]
    assert body[0]["actor_label"] == "bob" and "ip" in body[0] and "before" in body[0]
    assert AuditEntry.objects.filter(action="accounts.audit.export").count() == 2


@pytest.mark.parametrize("role", [r for r in RoleKey if r != RoleKey.ADMINISTRATOR])
def test_only_administrators_see_the_audit_log(role: RoleKey, entries: list[AuditEntry]) -> None:
    client = Client()
    client.force_login(user_with(role, "someone"))
    for path in ("/admin/audit/", f"/admin/audit/{entries[0].pk}/", "/admin/audit/export/"):
        response = client.get(path)
        assert response.status_code in (302, 403), path
        assert "pctt.alerts.draft" not in response.content.decode()


# -- before/after of edits, filled by the actions -------------------------------------------------
def test_snapshots_keep_relations_as_ids_and_changes_keep_only_what_differs() -> None:
    from pctt.accounts.audit import changes, snapshot

    user = get_user_model().objects.create_user("snap", password="x", first_name="An")
    taken = snapshot(user, ["first_name", "is_active", "date_joined"])
    assert taken["first_name"] == "An" and isinstance(taken["date_joined"], str)
    assert changes({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == (
        {"b": 2, "c": None},
        {"b": 3, "c": 4},
    )


def test_editing_a_warning_draft_records_what_changed() -> None:
    from pctt.alerts import actions
    from pctt.areas.actions import import_areas
    from tests.alerts.factories import flood_draft
    from tests.areas.factories import collection, small_ward

    import_areas(collection(*small_ward()), source="test")
    operator = user_with(RoleKey.ALERT_OPERATOR, "soanthao")
    draft = flood_draft(operator)
    old_headline = draft.headline_vi
    actions.edit_draft(draft, user=operator, headline_vi="Lũ đã lên báo động II")
    entry = AuditEntry.objects.get(action="pctt.alerts.edit")
    assert entry.before == {"headline_vi": old_headline}
    assert entry.after == {"headline_vi": "Lũ đã lên báo động II"}


def test_a_station_s_region_class_and_thresholds_keep_before_and_after() -> None:
    from pctt.hazards import actions
    from tests.hazards.factories import gauge

    admin = user_with(RoleKey.ADMINISTRATOR, "quantri")
    station = gauge(admin=admin)
    actions.set_region_class(station, user=admin, region_class=2, source="QĐ 18/2021, phụ lục")
    entry = AuditEntry.objects.get(action="pctt.hazards.region_class")
    assert entry.before == {"region_class": None, "region_class_source": ""}
    assert entry.after == {"region_class": 2, "region_class_source": "QĐ 18/2021, phụ lục"}
    actions.set_thresholds(
        station, user=admin, bd1=3.5, bd2=4.5, bd3=5.5, source_document="QĐ 05/2026/UBND"
    )
    entry = AuditEntry.objects.filter(action="pctt.hazards.thresholds").latest("pk")
    assert (entry.before["bd1"], entry.after["bd1"]) == (3.0, 3.5)
    assert entry.after["source_document"] == "QĐ 05/2026/UBND"


def test_a_reimport_records_each_changed_area_and_nothing_for_unchanged_ones() -> None:
    from pctt.areas.actions import import_areas
    from tests.areas.factories import collection, small_ward

    import_areas(collection(*small_ward()), source="a.geojson")
    first = AuditEntry.objects.get(action="pctt.areas.import")
    assert first.before is None and first.after is None  # everything was new
    renamed = small_ward()
    renamed[2]["properties"].update(name="Tổ dân phố Một")
    code = renamed[2]["properties"]["code"]
    import_areas(collection(*renamed), source="a.geojson")
    entry = AuditEntry.objects.filter(action="pctt.areas.import").latest("pk")
    assert set(entry.after) == {code}
    assert entry.after[code] == {"name": "Tổ dân phố Một"}
    assert entry.before[code]["name"] != "Tổ dân phố Một"


def test_loudspeaker_device_settings_keep_before_and_after() -> None:
    from pctt.areas.actions import import_areas
    from pctt.areas.models import AdminUnit
    from pctt.dispatch.models import LoudspeakerCluster
    from pctt.loudspeakers import actions
    from pctt.loudspeakers.models import ClusterDevice
    from tests.areas.factories import collection, small_ward

    import_areas(collection(*small_ward()), source="test")
    officer = user_with(RoleKey.RADIO_OFFICER, "loa")
    cluster = LoudspeakerCluster.objects.create(
        name="Cụm loa 1", controller_id="loa-audit-1", area=AdminUnit.objects.groups().first()
    )
    device = ClusterDevice.objects.create(cluster=cluster, coverage_radius_m=300)
    device.coverage_radius_m = 450
    device.high_risk = True
    actions.configure_device(device, user=officer)
    entry = AuditEntry.objects.get(action="pctt.loudspeakers.configure")
    assert entry.before == {"coverage_radius_m": 300, "high_risk": False}
    assert entry.after == {"coverage_radius_m": 450, "high_risk": True}
