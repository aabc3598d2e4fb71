"""Drill labels on every variant; the per-provider token bucket; the registry's failover."""

from __future__ import annotations

import pytest

from pctt.dispatch.channels.base import Provider
from pctt.dispatch.channels.registry import Registry
from pctt.dispatch.labels import label_content
from pctt.dispatch.ratelimit import TokenBucket

CONTENT = {
    "sms": {"vi": "Lũ lớn.", "vi_ascii": "Lu lon."},
    "email": {"vi": {"subject": "Cảnh báo lũ", "text": "Sơ tán.", "html": "<p>Sơ tán</p>"}},
    "mqtt": {"vi": {"text": "Lũ lớn.", "audio_url": "/a.mp3"}},
}


def test_exercise_labels_every_text_in_its_variant_language() -> None:
    out = label_content(CONTENT, "exercise")
    assert out["sms"] == {"vi": "[DIỄN TẬP] Lũ lớn.", "vi_ascii": "[DIEN TAP] Lu lon."}
    email = out["email"]["vi"]
    assert email["subject"] == "[DIỄN TẬP] Cảnh báo lũ" and email["text"] == "[DIỄN TẬP] Sơ tán."
    assert email["html"].startswith("<p><strong>[DIỄN TẬP]</strong></p>")
    assert out["mqtt"]["vi"]["text"] == "[DIỄN TẬP] Lũ lớn."
    assert out["mqtt"]["vi"]["status"] == "exercise"
    assert CONTENT["sms"]["vi"] == "Lũ lớn."  # the caller's dict is not changed


def test_test_status_uses_its_own_label_and_actual_is_untouched() -> None:
    assert label_content(CONTENT, "test")["sms"]["vi_ascii"] == "[THU NGHIEM] Lu lon."
    assert label_content(CONTENT, "actual") == CONTENT


@pytest.mark.parametrize("text", ["[DIỄN TẬP] Lũ", "DIỄN TẬP: Lũ", "[dien tap] Lu"])
def test_text_already_labelled_is_not_labelled_twice(text: str) -> None:
    assert label_content({"sms": {"vi": text}}, "exercise")["sms"]["vi"] == text


def test_token_bucket_spaces_messages_at_the_rate() -> None:
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    bucket = TokenBucket(2.0, burst=1, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        bucket.take()
    assert waits == [0.5, 0.5, 0.5, 0.5]


def test_demoted_provider_gets_its_place_back_after_the_cooldown() -> None:
    now = [0.0]
    first, second = Provider("first"), Provider("second")
    registry = Registry([(1, 1, first), (1, 2, second)], cooldown=30, clock=lambda: now[0])
    for _ in range(3):
        registry.record("first", ok=False)
    assert registry.candidates(1) == [second, first]
    now[0] = 31
    assert registry.candidates(1) == [first, second]
    assert registry.candidates(2) == []
