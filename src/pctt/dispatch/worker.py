"""The outbox worker: claim due deliveries in batches, send them, record the outcome.

The claim is the transition ``queued → sending`` that writes a random ``claim`` token; only the
worker holding the token records the outcome. On PostgreSQL the candidate rows are locked with
``FOR UPDATE SKIP LOCKED`` so several workers on several machines take disjoint batches; on
SQLite the database has a single writer and the token makes a lost race harmless.

Retryable errors move to the next provider of the channel (failover); when every provider
failed the delivery goes back to ``queued`` with an exponential backoff and jitter, until
``max_attempts``. Permanent errors are recorded with their reason. A withdrawal turns queued
deliveries (including those waiting for a retry) into ``withdrawn`` before they are claimed.
"""

from __future__ import annotations

import logging
import random
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from pctt.dispatch import messages
from pctt.dispatch.channels.base import ConfigurationError, PermanentError, RetryableError
from pctt.dispatch.channels.registry import Registry, registry_from_db
from pctt.dispatch.models import Broadcast, Consent, Delivery, LoudspeakerCluster, Subscriber

logger = logging.getLogger("pctt.dispatch.worker")
S = Delivery.Status


@dataclass(frozen=True)
class Policy:
    batch_size: int = 200
    max_attempts: int = 6
    base_delay: float = 10.0  # seconds before the first retry
    max_delay: float = 900.0
    lease: float = 300.0  # a delivery "sending" for longer than this was interrupted


def backoff(attempts: int, policy: Policy, rng: random.Random) -> float:
    """Exponential backoff with "equal jitter": between half and all of the capped delay."""
    delay = min(policy.max_delay, policy.base_delay * 2 ** max(0, attempts - 1))
    return delay / 2 + rng.uniform(0, delay / 2)


class Worker:
    def __init__(
        self,
        registry: Registry | None = None,
        policy: Policy | None = None,
        *,
        rng: random.Random | None = None,
    ) -> None:
        self.registry = registry if registry is not None else registry_from_db()
        self.policy = policy or Policy()
        self.rng = rng or random.Random()  # noqa: S311 - jitter, not security

    # -- claiming ---------------------------------------------------------------------------
    def claim(self, limit: int | None = None) -> list[Delivery]:
        now = timezone.now()
        token = secrets.randbits(62)
        due = self._due(now).order_by("id")
        with transaction.atomic():
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True)
            ids = list(due.values_list("id", flat=True)[: limit or self.policy.batch_size])
            if not ids:
                return []
            Delivery.objects.filter(id__in=ids, status=S.QUEUED).update(
                status=S.SENDING, claim=token, claimed_at=now, attempts=F("attempts") + 1
            )
        return list(Delivery.objects.filter(id__in=ids, claim=token, status=S.SENDING))

    @staticmethod
    def _due(now: datetime) -> QuerySet[Delivery]:
        return Delivery.objects.filter(status=S.QUEUED).filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
        )

    # -- one batch --------------------------------------------------------------------------
    def run_once(self, limit: int | None = None) -> int:
        batch = self.claim(limit)
        if not batch:
            return 0
        broadcasts = Broadcast.objects.in_bulk({d.broadcast_id for d in batch})
        subscribers = Subscriber.objects.in_bulk(
            [d.recipient_id for d in batch if d.recipient_kind == Delivery.Kind.SUBSCRIBER]
        )
        clusters = LoudspeakerCluster.objects.in_bulk(
            [d.recipient_id for d in batch if d.recipient_kind == Delivery.Kind.LOUDSPEAKER]
        )
        withdrawn_consent = self._withdrawn_consents(batch)
        for delivery in batch:
            recipient: Subscriber | LoudspeakerCluster | None = (
                subscribers.get(delivery.recipient_id)
                if delivery.recipient_kind == Delivery.Kind.SUBSCRIBER
                else clusters.get(delivery.recipient_id)
            )
            broadcast = broadcasts[delivery.broadcast_id]
            if recipient is None:
                self._finish(delivery, S.FAILED, error="recipient deleted")
            elif (delivery.recipient_id, delivery.channel) in withdrawn_consent:
                self._finish(delivery, S.FAILED, error="consent withdrawn after fan-out")
            elif broadcast.withdrawn_at is not None:
                self._finish(delivery, S.WITHDRAWN, error="withdrawn")
            else:
                self._send(delivery, broadcast, recipient)
        return len(batch)

    def drain(self, *, max_batches: int | None = None) -> int:
        """Send everything that is due now; returns how many deliveries were processed."""
        total = 0
        batches = 0
        while max_batches is None or batches < max_batches:
            done = self.run_once()
            if not done:
                # An empty claim is not an empty outbox: on PostgreSQL, rows another worker
                # claimed while our SELECT ran are dropped from our batch after the fact
                # (READ COMMITTED re-checks the status), which can leave it empty. Stop only
                # when nothing is due; otherwise try again.
                if not self._due(timezone.now()).exists():
                    break
                time.sleep(0.01)
                continue
            total += done
            batches += 1
            self.collect_reports()
        return total

    def collect_reports(self) -> int:
        """Apply delivery reports that arrived on providers' own connections (SMPP, modem)."""
        from pctt.dispatch.receipts import apply_reports

        updated = 0
        for provider in self.registry.providers():
            reports = provider.poll_reports()
            if reports:
                updated += apply_reports(provider.name, reports)
        return updated

    def run_forever(self, stop: threading.Event, *, idle: float = 1.0) -> int:
        total = 0
        while not stop.is_set():
            self.recover_stale()
            done = self.drain(max_batches=50)
            total += done
            self.collect_reports()
            if not done:
                stop.wait(idle)
        self.registry.close()
        return total

    # -- sending ----------------------------------------------------------------------------
    def _send(
        self, delivery: Delivery, broadcast: Broadcast, recipient: Subscriber | LoudspeakerCluster
    ) -> None:
        message = messages.build(delivery, broadcast, recipient)
        if not message.to:
            self._finish(delivery, S.FAILED, error="no address for this channel")
            return
        providers = self.registry.candidates(delivery.channel)
        # No provider yet (a ward still setting up): wait and retry like a gateway outage.
        last_error = "" if providers else "no provider configured for this channel"
        for provider in providers:
            try:
                result = provider.send(message)
            except ConfigurationError as exc:
                self.registry.record(provider.name, ok=False)
                last_error = f"{provider.name}: {exc.reason}"
                continue
            except PermanentError as exc:
                self.registry.record(provider.name, ok=True)  # the message, not the provider
                self._finish(
                    delivery,
                    S.FAILED,
                    provider=provider.name,
                    error=f"{provider.name}: {exc.reason}",
                )
                return
            except RetryableError as exc:
                self.registry.record(provider.name, ok=False)
                last_error = f"{provider.name}: {exc.reason}"
                continue
            self.registry.record(provider.name, ok=True)
            self._finish(
                delivery,
                S.SENT,
                provider=provider.name,
                provider_message_id=result.provider_message_id,
            )
            return
        if delivery.attempts >= self.policy.max_attempts:
            self._finish(
                delivery,
                S.FAILED,
                error=f"gave up after {delivery.attempts} attempts; {last_error}",
            )
            return
        delay = backoff(delivery.attempts, self.policy, self.rng)
        self._finish(
            delivery,
            S.QUEUED,
            error=last_error,
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
        )

    def _finish(self, delivery: Delivery, status: str, **fields: Any) -> None:
        values: dict[str, Any] = {"status": status, "claim": None}
        if "error" in fields:
            values["last_error"] = str(fields.pop("error"))[:500]
        values.update(fields)
        if status == S.SENT:
            values["sent_at"] = timezone.now()
        updated = Delivery.objects.filter(
            pk=delivery.pk, claim=delivery.claim, status=S.SENDING
        ).update(**values)
        if not updated:
            logger.warning(
                "delivery %s: lost its claim before the outcome was recorded", delivery.pk
            )

    def _withdrawn_consents(self, batch: list[Delivery]) -> set[tuple[int, int]]:
        from pctt.dispatch.models.outbox import CONSENT_CHANNELS

        ids = [d.recipient_id for d in batch if d.recipient_kind == Delivery.Kind.SUBSCRIBER]
        active = set(
            Consent.objects.active()
            .filter(subscriber_id__in=ids)
            .values_list("subscriber_id", "channel")
        )
        withdrawn = set()
        for d in batch:
            if d.recipient_kind != Delivery.Kind.SUBSCRIBER:
                continue
            names = [n for n, ch in CONSENT_CHANNELS.items() if ch == d.channel]
            if not any((d.recipient_id, n) in active for n in names):
                withdrawn.add((d.recipient_id, d.channel))
        return withdrawn

    # -- crash recovery ---------------------------------------------------------------------
    def recover_stale(self, now: datetime | None = None) -> tuple[int, int]:
        """Deliveries left "sending" by a dead worker: resend only where that is safe.

        Where every provider of the channel de-duplicates on the idempotency key, the delivery
        is queued again; otherwise it is failed with the reason, since the message may have
        left and must not go twice. Returns (requeued, failed).
        """
        cutoff = (now or timezone.now()) - timedelta(seconds=self.policy.lease)
        stale = Delivery.objects.filter(status=S.SENDING, claimed_at__lt=cutoff)
        requeued = failed = 0
        for channel in set(stale.values_list("channel", flat=True)):
            providers = self.registry.candidates(channel)
            rows = stale.filter(channel=channel)
            if providers and all(p.supports_idempotency for p in providers):
                requeued += rows.update(status=S.QUEUED, claim=None, next_attempt_at=None)
            else:
                failed += rows.update(
                    status=S.FAILED,
                    claim=None,
                    last_error="interrupted while sending; not resent to avoid a duplicate",
                )
        return requeued, failed
