"""Level changes become prefilled drafts for operators: once per crossing, never sent alone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from pctt.accounts.models import AuditEntry
from pctt.alerts import actions as alert_actions
from pctt.alerts.models import Alert
from pctt.areas.models import AdminUnit
from pctt.hazards import actions
from pctt.hazards.models import Proposal, Station
from pctt.hazards.models.observations import Source
from tests.hazards.factories import RoleKey, gauge, readings_rising, user_with

pytestmark = pytest.mark.django_db


def _send(station: Station, values: list[float], start_minutes_ago: int = 60) -> list[int]:
    start = timezone.now() - timedelta(minutes=start_minutes_ago)
    result = actions.receive_readings(
        readings_rising(values, start=start), source=Source.HTTP, only_station=station
    )
    assert not result.rejected
    return result.proposals


def test_crossing_bd3_makes_exactly_one_proposal_with_the_figures_filled_in(
    django_capture_on_commit_callbacks: Any,
) -> None:
    station = gauge(thresholds=(9.5, 10.5, 11.5))
    operator = user_with(RoleKey.ALERT_OPERATOR, "op")
    operator.email = "op@example.org"
    operator.save()
    _send(station, [11.2, 11.3], start_minutes_ago=60)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        (proposal_id,) = _send(station, [11.45, 11.72, 11.8], start_minutes_ago=20)

    proposal = Proposal.objects.get(pk=proposal_id)
    assert (proposal.level, proposal.previous_level, proposal.state) == (3, 2, "open")
    assert "trên báo động III 0,30 m" in proposal.summary
    draft = proposal.alert
    assert draft is not None and draft.state == Alert.State.DRAFT and draft.author is None
    assert draft.template is not None and draft.template.key == "lu-bao-dong-3"
    assert draft.headline_vi == f"KHẨN CẤP: lũ trên báo động III tại {station.name}, di dời ngay"
    assert "mực nước tại Trạm TEST-01 là 11,80 m, trên mức báo động III" in draft.description_vi
    assert "Tổ dân phố 1" in draft.description_vi
    assert "{shelter}" in draft.instruction_vi  # only the operator knows the open shelter
    assert set(draft.areas.values_list("code", flat=True)) == {"G01", "G02"}
    assert Proposal.objects.filter(level=3).count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["op@example.org"]
    assert f"/admin/warnings/{draft.pk}/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="pctt.hazards.propose").count() == 2


def test_readings_wobbling_around_a_threshold_do_not_flood_operators() -> None:
    station = gauge(thresholds=(9.5, 10.5, 11.5))
    first = _send(station, [11.4, 11.5], start_minutes_ago=120)
    # Within the hysteresis margin (0.05 m) the level stays 3: no new proposal at all.
    assert _send(station, [11.48, 11.51, 11.47, 11.5], start_minutes_ago=100) == []
    # Below the margin it drops to 2 (a proposal), and rising again reuses the open level-3 one.
    down = _send(station, [11.3], start_minutes_ago=40)
    again = _send(station, [11.6], start_minutes_ago=20)
    assert again == first
    assert Proposal.objects.count() == 2
    reused = Proposal.objects.get(pk=first[0])
    assert reused.repeats == 1 and reused.value == 11.6
    falling = Proposal.objects.get(pk=down[0])
    assert (falling.previous_level, falling.level) == (3, 2)
    assert falling.alert is not None and "đang xuống" in falling.alert.headline_vi


def test_falling_below_bd1_proposes_an_all_clear_draft() -> None:
    station = gauge(thresholds=(3.0, 4.0, 5.0))
    _send(station, [3.1], start_minutes_ago=60)
    (proposal_id,) = _send(station, [2.9, 2.8], start_minutes_ago=30)
    proposal = Proposal.objects.get(pk=proposal_id)
    assert proposal.level == 0 and proposal.alert is not None
    assert proposal.alert.template is not None
    assert proposal.alert.template.key == "het-nguy-hiem"


def test_a_proposal_reaches_residents_only_after_two_people() -> None:
    station = gauge(thresholds=(3.0, 4.0, 5.0))
    operator = user_with(RoleKey.ALERT_OPERATOR, "op")
    approver = user_with(RoleKey.ALERT_APPROVER, "ap")
    (proposal_id,) = _send(station, [5.2])
    draft = Proposal.objects.get(pk=proposal_id).alert
    assert draft is not None
    with pytest.raises(ValidationError):
        alert_actions.submit(draft, user=operator)  # the shelter is still to be filled in
    shelter = {
        name: getattr(draft, name).replace("{shelter}", "Trường THCS")
        for name in ("instruction_vi", "instruction_en", "sms_vi", "loudspeaker_vi")
    }
    draft = alert_actions.edit_draft(draft, user=operator, **shelter)
    alert_actions.submit(draft, user=operator)
    with pytest.raises(PermissionDenied):
        alert_actions.approve(draft, user=operator)
    issued = alert_actions.approve(draft, user=approver)
    assert issued.state == Alert.State.ISSUED
    # A new crossing of the same level after the warning was issued is a new proposal.
    _send(station, [4.5], start_minutes_ago=-1)
    assert _send(station, [5.1], start_minutes_ago=-2) != [proposal_id]


def test_thresholds_need_an_administrator_and_a_source_and_are_audited() -> None:
    station = gauge()
    operator = user_with(RoleKey.ALERT_OPERATOR, "op")
    admin = user_with(RoleKey.ADMINISTRATOR, "boss")
    with pytest.raises(PermissionDenied):
        actions.set_thresholds(station, user=operator, bd1=1, bd2=2, bd3=3, source_document="x")
    with pytest.raises(ValidationError):
        actions.set_thresholds(station, user=admin, bd1=1, bd2=2, bd3=3, source_document=" ")
    with pytest.raises(ValidationError):
        actions.set_thresholds(station, user=admin, bd1=3, bd2=2, bd3=4, source_document="QĐ")
    actions.set_thresholds(
        station,
        user=admin,
        bd1=6,
        bd2=7,
        bd3=8,
        source_document="QĐ 123/UBND",
        source_article="Điều 2",
    )
    current = station.threshold_set()
    assert current is not None and current.citation == "QĐ 123/UBND, Điều 2"
    entry = AuditEntry.objects.filter(action="pctt.hazards.thresholds").latest("pk")
    assert entry.actor_label == "boss" and entry.data["bd"] == [6, 7, 8]


def test_a_risk_level_from_a_bulletin_raised_by_a_person_makes_a_proposal() -> None:
    gauge()
    ward = AdminUnit.objects.get(code="W01")
    operator = user_with(RoleKey.ALERT_OPERATOR, "op")
    with pytest.raises(ValidationError):
        actions.record_risk_level(
            user=operator,
            hazard="storm",
            area=ward,
            bulletin_level=3,
            source="Tin bão số 3",
            raised_by=1,
        )  # a raise needs its reason
    entry = actions.record_risk_level(
        user=operator,
        hazard="storm",
        area=ward,
        bulletin_level=3,
        source="Tin bão khẩn cấp số 3, 10h 6/9",
        raised_by=1,
        raise_reason="mưa lớn kéo dài sau bão",
    )
    assert entry.level == 4
    proposal = Proposal.objects.get(kind="risk")
    assert proposal.alert is not None and proposal.alert.risk_level == 4
    assert "{time}" in proposal.alert.headline_vi  # when the storm arrives: the bulletin says
    assert "Cấp độ rủi ro thiên tai theo bản tin: 4" in proposal.alert.description_vi
    # The same or a lower level again is recorded but proposes nothing new.
    actions.record_risk_level(
        user=operator, hazard="storm", area=ward, bulletin_level=3, source="Tin bão số 4"
    )
    assert Proposal.objects.count() == 1
    assert AuditEntry.objects.filter(action="pctt.hazards.risk_level").count() == 2


def test_an_operator_dismisses_a_proposal_with_a_reason() -> None:
    station = gauge()
    (proposal_id,) = _send(station, [3.2])
    proposal = actions.dismiss_proposal(
        Proposal.objects.get(pk=proposal_id),
        user=user_with(RoleKey.ALERT_OPERATOR, "op"),
        reason="gauge under maintenance",
    )
    assert proposal.state == "dismissed"
    with translation.override("en"), pytest.raises(ValidationError, match="already closed"):
        actions.dismiss_proposal(proposal, user=user_with(RoleKey.ALERT_OPERATOR, "op2"), reason="")
