"""Steps 4–8: organisations, accounts with roles, channels with a real test, templates, finish."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from email.policy import default as default_policy
from typing import Any

import pytest
from django.contrib.auth import authenticate, get_user_model

from pctt.accounts.models import AuditEntry, Membership
from pctt.accounts.roles import ROLES, RoleKey
from pctt.areas.actions import import_areas
from pctt.onboarding import actions, steps
from pctt.onboarding.models import ChannelTest, Onboarding
from pctt.plans.models import Organisation
from tests.areas.factories import collection, feature, square
from tests.conftest import service_or_skip
from tests.dispatch.gateway import Gateway
from tests.onboarding.conftest import OTHER_WARD_CODE

pytestmark = pytest.mark.django_db
aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")


def test_the_usual_organisations_are_named_for_a_ward_or_a_commune(ward: Any) -> None:
    names = [name for name, _kind in actions.usual_organisations(ward)]
    assert "Uỷ ban nhân dân phường" in names and len(names) == 7
    ward.name = "Xã Hợp Thành"
    assert "Hội Nông dân xã" in [name for name, _ in actions.usual_organisations(ward)]


def test_organisations_are_added_once_each_and_audited(admin: Any, state: Onboarding) -> None:
    rows = [(name, kind, None) for name, kind in actions.usual_organisations(state.ward)]  # type: ignore[arg-type]
    assert actions.add_organisations(state, rows, user=admin) == 7
    assert actions.add_organisations(state, rows, user=admin) == 0
    assert AuditEntry.objects.filter(action="pctt.onboarding.add_organisation").count() == 7
    assert steps.BY_KEY["organisations"].check(state)


@pytest.mark.parametrize("kind", ["", "not-a-kind", "x" * 100])
def test_an_organisation_with_a_bad_kind_is_refused(
    admin: Any, state: Onboarding, kind: str
) -> None:
    with pytest.raises(actions.SetupError):
        actions.add_organisations(state, [("Hội Người cao tuổi", kind, None)], user=admin)
    assert not Organisation.objects.exists()


def test_a_party_cell_cannot_point_at_another_wards_group(admin: Any, state: Onboarding) -> None:
    import_areas(
        collection(
            feature(
                square(103.9, 22.4, 0.01),
                code="OTHER-TDP",
                name="Tổ khác",
                level="residential_group",
                parent_code=OTHER_WARD_CODE,
            )
        )
    )
    from pctt.areas.models import AdminUnit

    group = AdminUnit.objects.get(code="OTHER-TDP")
    with pytest.raises(actions.SetupError):
        actions.add_organisations(state, [("Chi bộ tổ khác", "party_cell", group)], user=admin)


def test_an_account_gets_its_role_its_organisation_and_a_password_that_works(
    admin: Any, state: Onboarding
) -> None:
    org = Organisation.objects.create(
        ward=state.ward, name="Uỷ ban nhân dân phường", kind="peoples_committee"
    )
    account, password = actions.create_account(
        state,
        user=admin,
        username="nguyen.van.a",
        full_name="Nguyễn Văn A",
        role=RoleKey.ALERT_OPERATOR,
        email="a@example.org",
        organisation_id=org.pk,
    )
    assert authenticate(username="nguyen.van.a", password=password) == account
    assert account.groups.get().name == ROLES[RoleKey.ALERT_OPERATOR].group_name
    assert Membership.objects.filter(user=account, organisation=org).exists()
    entry = AuditEntry.objects.get(action="pctt.onboarding.create_account")
    assert "a@example.org" not in str(entry.data)  # no address in the audit log


@pytest.mark.parametrize(
    ("username", "email", "message"),
    [
        ("", "", "at most 150"),
        ("x" * 151, "", "at most 150"),
        ("có dấu cách", "", "only letters"),
        ("a;drop table", "", "only letters"),
        ("ok.user", "not-an-address", "valid e-mail"),
    ],
)
def test_bad_account_input_is_refused_with_a_clear_message(
    admin: Any, state: Onboarding, username: str, email: str, message: str
) -> None:
    before = get_user_model().objects.count()
    with pytest.raises(actions.SetupError, match=message):
        actions.create_account(
            state, user=admin, username=username, full_name="A", role=RoleKey.VIEWER, email=email
        )
    assert get_user_model().objects.count() == before


def test_a_taken_user_name_or_a_foreign_organisation_is_refused(
    admin: Any, state: Onboarding
) -> None:
    with pytest.raises(actions.SetupError, match="already taken"):
        actions.create_account(
            state, user=admin, username="QUANTRI1", full_name="", role=RoleKey.VIEWER
        )
    with pytest.raises(actions.SetupError, match="organisations"):
        actions.create_account(
            state,
            user=admin,
            username="b",
            full_name="",
            role=RoleKey.VIEWER,
            organisation_id=999999,
        )


def test_the_people_step_needs_two_different_people_to_draft_and_approve(
    admin: Any, state: Onboarding
) -> None:
    first, _ = actions.create_account(
        state, user=admin, username="soan", full_name="", role=RoleKey.ALERT_OPERATOR
    )
    assert not steps.BY_KEY["users"].check(state)
    from pctt.accounts.roles import group_for

    first.groups.add(group_for(RoleKey.ALERT_APPROVER))  # one person with both roles
    assert not steps.BY_KEY["users"].check(state)
    actions.create_account(
        state, user=admin, username="duyet", full_name="", role=RoleKey.ALERT_APPROVER
    )
    assert steps.BY_KEY["users"].check(state)


def test_demo_accounts_can_be_switched_off(admin: Any, demo_ward: Any) -> None:
    assert len(actions.demo_accounts()) == len(
        __import__("pctt.demo.load", fromlist=["x"]).DEMO_USERS
    )
    assert actions.deactivate_demo_accounts(user=admin) >= 8
    assert actions.demo_accounts() == []
    assert get_user_model().objects.get(username="quantri1").is_active


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Mailbox:
    def __init__(self) -> None:
        self.received: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 Message accepted"


@pytest.fixture
def smtp_server() -> Iterator[tuple[_Mailbox, int]]:
    box = _Mailbox()
    port = _free_port()
    controller = aiosmtpd_controller.Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


def test_an_email_channel_is_added_and_a_test_reaches_a_real_smtp_server(
    admin: Any, state: Onboarding, smtp_server: tuple[_Mailbox, int]
) -> None:
    box, port = smtp_server
    provider = actions.add_channel(
        user=admin,
        kind="smtp",
        name="email-ubnd",
        options={"host": "127.0.0.1", "port": port, "from": "ubnd@example.org"},
    )
    assert not steps.BY_KEY["channels"].check(state)  # added but never tested
    test = actions.send_test(provider, user=admin, to="can.bo@example.org")
    assert test.ok, test.detail
    assert len(box.received) == 1
    mail = box.received[0]
    assert mail["Subject"].startswith("[TEST]") or "THỬ" in mail["Subject"]
    assert "can.bo@example.org" not in str(
        AuditEntry.objects.filter(action="pctt.onboarding.test_channel").values_list(
            "data", flat=True
        )
    )
    assert steps.BY_KEY["channels"].check(state)


def test_a_failed_test_is_recorded_with_its_reason_and_the_step_stays_open(
    admin: Any, state: Onboarding
) -> None:
    provider = actions.add_channel(
        user=admin,
        kind="smtp",
        name="email-hong",
        options={"host": "127.0.0.1", "port": _free_port(), "from": "a@example.org", "timeout": 2},
    )
    test = actions.send_test(provider, user=admin, to="x@example.org")
    assert not test.ok and test.detail
    assert "x@example.org" not in test.detail
    assert not steps.BY_KEY["channels"].check(state)
    assert ChannelTest.objects.count() == 1


def test_an_sms_gateway_test_goes_to_a_real_http_gateway_with_the_number_in_e164(
    admin: Any, state: Onboarding
) -> None:
    with Gateway() as gateway:
        provider = actions.add_channel(
            user=admin,
            kind="sms_http",
            name="sms-brandname",
            options={"url": gateway.url, "sender": "PCTT"},
        )
        test = actions.send_test(provider, user=admin, to="0912 345 678")
    assert test.ok, test.detail
    body = gateway.requests[0]["body"]
    assert body["to"] == "+84912345678"
    assert body["text"].startswith("[")


def test_a_loudspeaker_test_is_published_on_the_real_broker(admin: Any, state: Onboarding) -> None:
    service_or_skip("127.0.0.1", 1883, "mosquitto")
    import json
    import threading

    import paho.mqtt.client as mqtt

    got: list[dict[str, Any]] = []
    subscribed, arrived = threading.Event(), threading.Event()
    listener = mqtt.Client(callback_api_version=mqtt.CallbackAPIVersion.VERSION2)
    listener.on_subscribe = lambda *a: subscribed.set()

    def on_message(_c: Any, _u: Any, msg: Any) -> None:
        got.append(json.loads(msg.payload))
        arrived.set()

    listener.on_message = on_message
    listener.connect("127.0.0.1", 1883)
    listener.loop_start()
    try:
        listener.subscribe("pctt/loa/onboarding-test-1/phat", qos=1)
        assert subscribed.wait(5)
        provider = actions.add_channel(
            user=admin, kind="mqtt", name="loa-phuong", options={"host": "127.0.0.1", "port": 1883}
        )
        test = actions.send_test(provider, user=admin, to="onboarding-test-1")
        assert test.ok, test.detail
        assert arrived.wait(5)
    finally:
        listener.loop_stop()
        listener.disconnect()
    assert got[0]["status"] == "test" and got[0]["priority"] == "normal"


@pytest.mark.parametrize(
    ("kind", "to"),
    [
        ("sms_http", "12345"),
        ("sms_http", "+1 202 555 0100"),
        ("smtp", "not an address"),
        ("smtp", "a@b@c"),
        ("mqtt", "loa/+/#"),
        ("mqtt", ""),
        ("mqtt", "x" * 65),
    ],
)
def test_a_bad_test_address_is_refused_before_anything_is_sent(kind: str, to: str) -> None:
    with pytest.raises(actions.SetupError):
        actions.test_recipient(kind, to)


@pytest.mark.parametrize(
    "options",
    [{"host": "h", "password": "hunter2"}, {"host": "h", "api_token": "abc"}, {"password_env": 5}],
)
def test_a_secret_written_in_clear_is_refused(admin: Any, options: dict[str, Any]) -> None:
    with pytest.raises(actions.SetupError, match="variable"):
        actions.add_channel(user=admin, kind="smtp", name="email-x", options=options)


def test_unknown_channel_kind_is_refused(admin: Any) -> None:
    with pytest.raises(actions.SetupError):
        actions.add_channel(user=admin, kind="console", name="c", options={})


def test_templates_are_installed_and_marked_reviewed(admin: Any, state: Onboarding) -> None:
    from pctt.alerts.models import WarningTemplate

    assert not steps.BY_KEY["templates"].check(state)
    actions.review_templates(state, user=admin)
    assert WarningTemplate.objects.exists()
    assert steps.BY_KEY["templates"].check(state)
    assert state.templates_reviewed_by == admin


def test_skipped_steps_stay_missing_and_the_next_step_moves_on(
    admin: Any, state: Onboarding
) -> None:
    assert steps.next_step(state) == "groups"
    actions.skip(state, "groups", user=admin)
    assert steps.next_step(state) == "zones"
    row = next(r for r in steps.statuses(state) if r.key == "groups")
    assert row.skipped and row.missing
    with pytest.raises(actions.SetupError):
        actions.skip(state, "finish", user=admin)
    with pytest.raises(actions.SetupError):
        actions.skip(state, "../etc", user=admin)
    actions.finish(state, user=admin)
    assert Onboarding.current().finished_at is not None  # type: ignore[union-attr]


def test_the_demo_wards_accounts_do_not_count_as_the_wards_people(
    admin: Any, demo_ward: Any, state: Onboarding
) -> None:
    assert not steps.BY_KEY["users"].check(state)
