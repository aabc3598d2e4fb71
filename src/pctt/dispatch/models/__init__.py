"""Recipients and consent, broadcasts and their deliveries (the outbox), channel providers."""

from pctt.dispatch.models.outbox import Broadcast, Delivery
from pctt.dispatch.models.providers import ChannelProvider
from pctt.dispatch.models.recipients import (
    Consent,
    LoudspeakerCluster,
    Subscriber,
    mask_email,
    mask_phone,
)

__all__ = [
    "Broadcast",
    "ChannelProvider",
    "Consent",
    "Delivery",
    "LoudspeakerCluster",
    "Subscriber",
    "mask_email",
    "mask_phone",
]
