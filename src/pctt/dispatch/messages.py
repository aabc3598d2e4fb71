"""From a delivery, its broadcast and its recipient to the :class:`Message` a provider sends.

Bodies were rendered once per variant by the caller; here we only pick the variant.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from pctt.dispatch import tokens
from pctt.dispatch.channels.base import Message
from pctt.dispatch.models import Broadcast, Delivery, LoudspeakerCluster, Subscriber
from pctt.dispatch.models.outbox import CONTENT_KEYS, Channel

UNSUBSCRIBE_PATH = "/dang-ky/huy/{token}/"


def unsubscribe_url(subscriber_id: int, channel: str) -> str:
    token = tokens.make_unsubscribe_token(subscriber_id, channel)
    try:
        path = reverse("dispatch:unsubscribe", kwargs={"token": token})
    except NoReverseMatch:
        path = UNSUBSCRIBE_PATH.format(token=token)
    base = str(getattr(settings, "WAGTAILADMIN_BASE_URL", "")).rstrip("/")
    return base + path


def _pick(variants: Any, preferred: str) -> Any:
    if not isinstance(variants, dict) or not variants:
        return variants
    if preferred in variants:
        return variants[preferred]
    if "vi" in variants:
        return variants["vi"]
    return next(iter(variants.values()))


def build(
    delivery: Delivery, broadcast: Broadcast, recipient: Subscriber | LoudspeakerCluster
) -> Message:
    variants = broadcast.content.get(CONTENT_KEYS[delivery.channel], {})
    common: dict[str, Any] = {
        "delivery_id": delivery.pk,
        "idempotency_key": delivery.idempotency_key,
        "channel": delivery.channel,
        "priority": broadcast.priority,
        "status": broadcast.status,
    }
    if isinstance(recipient, LoudspeakerCluster):
        payload = _pick(variants, "vi")
        payload = dict(payload) if isinstance(payload, dict) else {"text": str(payload)}
        payload.setdefault("priority", broadcast.priority)
        payload.setdefault("status", broadcast.status)
        payload.setdefault("reference", broadcast.reference)
        return Message(to=recipient.controller_id, payload=payload, **common)
    if delivery.channel == Channel.SMS:
        text = _pick(variants, broadcast.sms_variant)
        return Message(to=recipient.phone, text=str(text), **common)
    if delivery.channel == Channel.EMAIL:
        email = _pick(variants, recipient.language)
        email = email if isinstance(email, dict) else {"text": str(email)}
        return Message(
            to=recipient.email,
            subject=str(email.get("subject", "")),
            text=str(email.get("text", "")),
            html=str(email.get("html", "")),
            unsubscribe_url=unsubscribe_url(recipient.pk, "email"),
            **common,
        )
    value = _pick(variants, recipient.language)
    if isinstance(value, dict):
        return Message(
            to=recipient.address("app"), payload=value, text=str(value.get("text", "")), **common
        )
    return Message(to=recipient.address("app"), text=str(value), **common)
