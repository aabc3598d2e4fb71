"""Deliveries per second through the real worker path, against a bare HTTP client loop.

Same run, same loopback gateway (a separate process, HTTP/1.1 keep-alive, answering 200 with
an id as soon as the body is read):

- ``worker``: ``Worker(registry_from_db()).drain()`` on N queued SMS deliveries in a SQLite
  file (WAL) — claim in batches, build each message, ``HttpSmsProvider.send`` (httpx, one
  kept-alive connection), record the outcome;
- ``baseline``: a bare ``httpx.Client`` loop posting the same N JSON bodies with the same
  headers to the same gateway.

Then "approval to first message": ``create_broadcast`` (what approving a warning calls) with the
immediate task backend, an audience with SMS, e-mail and messaging-app consents, and real
loopback servers for each channel (HTTP gateway, aiosmtpd, an OA-style HTTP API) and, for the
loudspeakers, the real Mosquitto broker (``--mqtt-host``/``--mqtt-port``, default
127.0.0.1:1883) with one cluster in the audience's group and a listener subscribed to its topic;
the time from the call to the first (and the last) message each server (or the listener)
receives, median over ``--approvals`` runs. The cluster's delivery is written after the
subscribers' (pctt.dispatch.fanout), so its first message comes after every SMS, e-mail and
app message of the audience: the figure grows with ``--audience``.
In production the task worker and the outbox worker poll (``pctt outbox --idle``, default
1 s), which adds up to that interval on top of these figures.

Prints one JSON line. Run: uv run python benchmarks/delivery.py [--deliveries 3000]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class _Gateway(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    stamps: list[float] | None = None

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.stamps is not None:
            self.stamps.append(time.perf_counter())
        payload = b'{"data": {"id": "gw-1"}, "error": 0}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve() -> None:
    """The gateway process: prints its port, serves until stdin closes."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Gateway)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_address[1], flush=True)
    sys.stdin.read()


class _Stamped(ThreadingHTTPServer):
    """An in-process loopback server that notes when the first request arrives."""

    daemon_threads = True

    def __init__(self) -> None:
        self.first: float | None = None
        stamps: list[float] = []

        class Handler(_Gateway):
            pass

        Handler.stamps = stamps
        self.stamps = stamps
        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, args=(0.01,), daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/send"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deliveries", type=int, default=3000)
    parser.add_argument("--approvals", type=int, default=5)
    parser.add_argument("--audience", type=int, default=200)
    parser.add_argument("--mqtt-host", default="127.0.0.1")
    parser.add_argument("--mqtt-port", type=int, default=1883)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve()
        return
    tmp = Path(tempfile.mkdtemp(prefix="pctt-bench-"))
    os.environ["PCTT_VAR_DIR"] = str(tmp)
    os.environ["DATABASE_URL"] = ""
    os.environ["DJANGO_SETTINGS_MODULE"] = "pctt.settings.test"
    os.environ["PCTT_BENCH_OA_TOKEN"] = "bench-token"
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)  # per-delivery log lines are not what we measure
    import httpx
    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import override_settings
    from django.utils import timezone

    from pctt.areas.models import AdminUnit, WardSetting
    from pctt.dispatch.actions import create_broadcast
    from pctt.dispatch.fanout import fan_out
    from pctt.dispatch.models import Broadcast, ChannelProvider, Consent, Delivery, Subscriber
    from pctt.dispatch.models.outbox import Channel
    from pctt.dispatch.worker import Policy, Worker

    call_command("migrate", verbosity=0)
    with transaction.atomic():
        WardSetting.load()
        province = AdminUnit.objects.create(code="BP", name="Tỉnh", level="province")
        commune = AdminUnit.objects.create(
            code="BC", name="Phường", level="commune", parent=province
        )
        group = AdminUnit.objects.create(
            code="BG", name="Tổ 1", level="residential_group", parent=commune
        )

    gateway = subprocess.Popen(
        [sys.executable, __file__, "--serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert gateway.stdout is not None and gateway.stdin is not None
    url = f"http://127.0.0.1:{gateway.stdout.readline().strip()}/send"
    options = {"url": url, "idempotency_header": "Idempotency-Key", "message_id_field": "data.id"}
    ChannelProvider.objects.create(
        name="bench-gw", channel=Channel.SMS, kind="sms_http", rate_per_second=0, options=options
    )

    n = args.deliveries
    now = timezone.now()
    subs = Subscriber.objects.bulk_create(
        [Subscriber(phone=f"+8491{i:07d}", residential_group=group) for i in range(n)]
    )
    Consent.objects.bulk_create(
        [Consent(subscriber=s, channel="sms", method="import", given_at=now) for s in subs]
    )
    text = "Lũ lớn trên sông: sơ tán ngay khỏi bãi sông."
    broadcast = Broadcast.objects.create(
        reference="bench:delivery:v1",
        status="actual",
        priority="emergency",
        area_ids=[group.pk],
        content={"sms": {"vi": text}},
    )
    assert fan_out(broadcast.pk) == n
    keys = list(
        Delivery.objects.filter(broadcast=broadcast).order_by("id").values_list("recipient_id")
    )

    # Baseline first (warms the gateway), then the worker.
    bodies = [
        (
            {"to": f"+8491{i:07d}", "text": text, "reference": f"pctt-0-1-{k[0]}-1"},
            {"Idempotency-Key": f"pctt-0-1-{k[0]}-1"},
        )
        for i, k in enumerate(keys)
    ]
    with httpx.Client(timeout=10, follow_redirects=False) as client:
        start = time.perf_counter()
        for body, headers in bodies:
            response = client.post(url, json=body, headers=headers)
            response.raise_for_status()
            response.json()
        baseline_s = time.perf_counter() - start

    worker = Worker(policy=Policy(batch_size=200))
    start = time.perf_counter()
    processed = worker.drain()
    worker_s = time.perf_counter() - start
    worker.registry.close()
    sent = Delivery.objects.filter(broadcast=broadcast, status="sent").count()
    assert processed == n and sent == n, (processed, sent)
    gateway.stdin.close()
    gateway.wait(10)

    # Approval → first message handed to each channel.
    from aiosmtpd.controller import Controller

    class Sink:
        def __init__(self) -> None:
            self.stamps: list[float] = []

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            self.stamps.append(time.perf_counter())
            return "250 OK"

    sink = Sink()
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        smtp_port = int(probe.getsockname()[1])
    smtp = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    sms_server, app_server = _Stamped(), _Stamped()
    ChannelProvider.objects.all().delete()
    ChannelProvider.objects.create(
        name="sms", channel=Channel.SMS, kind="sms_http", rate_per_second=0,
        options={"url": sms_server.url},
    )  # fmt: skip
    ChannelProvider.objects.create(
        name="mail", channel=Channel.EMAIL, kind="smtp", rate_per_second=0,
        options={"host": "127.0.0.1", "port": smtp_port,
                 "from": "canhbao@phuong.example"},
    )  # fmt: skip
    ChannelProvider.objects.create(
        name="oa", channel=Channel.APP, kind="messaging_app", rate_per_second=0,
        options={"url": app_server.url, "token_env": "PCTT_BENCH_OA_TOKEN"},
    )  # fmt: skip
    audience = AdminUnit.objects.create(
        code="BG2", name="Tổ 2", level="residential_group", parent=commune
    )
    # The loudspeaker channel: the real Mosquitto broker, one cluster in the audience's
    # group, and a listener on that cluster's topic (what the controller subscribes to).
    import uuid

    import paho.mqtt.client as mqtt

    from pctt.dispatch.channels.mqtt import DEFAULT_TOPIC, topic_for
    from pctt.dispatch.models import LoudspeakerCluster

    run_id = uuid.uuid4().hex[:8]
    cluster = LoudspeakerCluster.objects.create(
        name="Cụm loa tổ 2", controller_id=f"bench-loa-{run_id}", area=audience
    )
    ChannelProvider.objects.create(
        name=f"loa-{run_id}", channel=Channel.LOUDSPEAKER, kind="mqtt", rate_per_second=0,
        options={"host": args.mqtt_host, "port": args.mqtt_port, "timeout": 5},
    )  # fmt: skip
    mqtt_stamps: list[float] = []
    mqtt_arrived = threading.Event()
    mqtt_subscribed = threading.Event()
    listener = mqtt.Client(
        callback_api_version=mqtt.CallbackAPIVersion.VERSION2,
        client_id=f"bench-listener-{run_id}",
    )
    topic = topic_for(DEFAULT_TOPIC, cluster.controller_id)
    listener.on_connect = lambda client, *_a: client.subscribe(topic, qos=1)
    listener.on_subscribe = lambda *_a: mqtt_subscribed.set()

    def on_mqtt_message(*_args: Any) -> None:
        mqtt_stamps.append(time.perf_counter())
        mqtt_arrived.set()

    listener.on_message = on_mqtt_message
    listener.connect(args.mqtt_host, args.mqtt_port)
    listener.loop_start()
    if not mqtt_subscribed.wait(5):
        raise SystemExit(f"Mosquitto at {args.mqtt_host}:{args.mqtt_port} did not answer")
    people = Subscriber.objects.bulk_create(
        [
            Subscriber(
                phone=f"+8498{i:07d}",
                email=f"nguoi{i}@example.org",
                app_id=f"zalo-{i}",
                residential_group=audience,
            )
            for i in range(args.audience)
        ]
    )
    Consent.objects.bulk_create(
        [
            Consent(subscriber=s, channel=channel, method="import", given_at=now)
            for s in people
            for channel in ("sms", "email", "app")
        ]
    )
    firsts: dict[str, list[float]] = {"sms": [], "email": [], "app": [], "mqtt": []}
    lasts: dict[str, list[float]] = {name: [] for name in firsts}
    content = {
        "sms": {"vi": text},
        "email": {"vi": {"subject": "Cảnh báo lũ", "text": text}},
        "app": {"vi": text},
        "mqtt": {"vi": {"headline": "Cảnh báo lũ", "script": text}},
    }
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    ):
        for run in range(args.approvals):
            for stamps in (sms_server.stamps, app_server.stamps, sink.stamps, mqtt_stamps):
                stamps.clear()
            mqtt_arrived.clear()
            start = time.perf_counter()
            create_broadcast(
                reference=f"bench:approval:{run}",
                status="actual",
                priority="emergency",
                area_ids=[audience.pk],
                content=content,
            )
            mqtt_arrived.wait(5)  # the broker hands it to the listener after the PUBACK
            for name, stamps in (
                ("sms", sms_server.stamps),
                ("email", sink.stamps),
                ("app", app_server.stamps),
                ("mqtt", mqtt_stamps),
            ):
                firsts[name].append((min(stamps) - start) * 1000 if stamps else float("nan"))
                lasts[name].append((max(stamps) - start) * 1000 if stamps else float("nan"))
    smtp.stop()
    listener.disconnect()
    listener.loop_stop()
    sms_server.shutdown()
    app_server.shutdown()

    per_s = n / worker_s
    baseline_per_s = n / baseline_s
    print(
        json.dumps(
            {
                "benchmark": "delivery",
                "database": "sqlite-wal",
                "deliveries": n,
                "per_s": round(per_s),
                "baseline_per_s": round(baseline_per_s),
                "ratio": round(per_s / baseline_per_s, 2),
                "approval_to_first_message_ms_median": {
                    k: round(statistics.median(v), 1) for k, v in firsts.items()
                },
                # Each channel's last message: shows where the loudspeakers wait in the queue.
                "approval_to_last_message_ms_median": {
                    k: round(statistics.median(v), 1) for k, v in lasts.items()
                },
                "approvals": args.approvals,
                "approval_audience": args.audience,
                "python": sys.version.split()[0],
            }
        )
    )


if __name__ == "__main__":
    main()
