"""Fan-out of one warning to N fictional subscribers on SQLite (temp file, WAL).

Same run, same database, three ways of filling the outbox:
- ``pctt``: pctt.dispatch.fanout.fan_out (keyset-paged consents, vectorised point-in-polygon
  for the geometry, bulk_create(ignore_conflicts=True) in chunks, one transaction per chunk);
- ``naive``: one ``Delivery.objects.create()`` per consent row (on a sample, extrapolated);
- ``bare``: a bare sqlite3 ``executemany`` of the same number of rows in one transaction
  (the issue's floor).
Prints one JSON line. Run: uv run python benchmarks/fanout.py [--recipients 100000]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import resource
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--naive-sample", type=int, default=5_000)
    parser.add_argument("--profile", action="store_true", help="cProfile the fan-out (stderr)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pctt-bench-"))
    os.environ["PCTT_VAR_DIR"] = str(tmp)
    os.environ["DATABASE_URL"] = ""
    os.environ["DJANGO_SETTINGS_MODULE"] = "pctt.settings.test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from pctt.areas.models import AdminUnit
    from pctt.dispatch.fanout import fan_out
    from pctt.dispatch.models import Broadcast, Consent, Delivery, Subscriber

    call_command("migrate", verbosity=0)
    square = lambda x, y, s: {  # noqa: E731
        "type": "Polygon",
        "coordinates": [[[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]]],
    }
    province = AdminUnit.objects.create(code="BP", name="Tỉnh", level="province")
    commune = AdminUnit.objects.create(code="BC", name="Phường", level="commune", parent=province)
    groups = [
        AdminUnit.objects.create(
            code=f"BG{i}",
            name=f"Tổ {i}",
            level="residential_group",
            parent=commune,
            geometry=square(105 + i * 0.01, 21.0, 0.01),
        )
        for i in range(20)
    ]
    rng = random.Random(5)
    n = args.recipients
    now = timezone.now()
    ids: list[int] = []
    for first in range(0, n, 10_000):  # in slices, so set-up does not dominate peak memory
        with transaction.atomic():
            subs = Subscriber.objects.bulk_create(
                [
                    Subscriber(
                        phone=f"+8491{i:07d}",
                        residential_group=groups[i % 20],
                        lon=105 + (i % 20) * 0.01 + rng.random() * 0.01,
                        lat=21.0 + rng.random() * 0.01,
                        is_fictional=True,
                    )
                    for i in range(first, min(n, first + 10_000))
                ],
                batch_size=5000,
            )
            Consent.objects.bulk_create(
                [
                    Consent(subscriber=s, channel="sms", method="paper_form", given_at=now)
                    for s in subs
                ],
                batch_size=5000,
            )
            ids.extend(s.pk for s in subs)
        del subs
    content = {"sms": {"vi": "Lũ lớn", "vi_ascii": "Lu lon"}}
    # 19 of 20 groups by membership; the 20th by the geometry (point-in-polygon).
    target = Broadcast.objects.create(
        reference="bench:1:v1",
        status="actual",
        priority="emergency",
        area_ids=[g.pk for g in groups[:19]],
        geometry=square(105.19, 21.0, 0.01),
        content=content,
    )
    profiler = cProfile.Profile() if args.profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    created = fan_out(target.pk)
    pctt_s = time.perf_counter() - start
    # The process's peak so far: set-up and fan-out, before the baselines build their rows.
    fan_out_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if profiler:
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
    assert created == n, (created, n)

    # Naive baseline: one create() per delivery, on a sample.
    naive = Broadcast.objects.create(
        reference="bench:2:v1", status="actual", priority="emergency", content=content
    )
    sample = list(
        Consent.objects.active().select_related("subscriber").order_by("id")[: args.naive_sample]
    )
    start = time.perf_counter()
    for consent in sample:
        Delivery.objects.create(
            broadcast=naive, recipient_kind=1, recipient_id=consent.subscriber_id, channel=1
        )
    naive_s = (time.perf_counter() - start) * n / len(sample)

    # Bare executemany of the same number of rows into the same table, one transaction.
    bare = Broadcast.objects.create(
        reference="bench:3:v1", status="actual", priority="emergency", content=content
    )
    rows = [(bare.pk, 1, pk, 1, "queued", 0, "", "", "") for pk in ids]
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO dispatch_delivery (broadcast_id, recipient_kind, recipient_id, channel,"
            " status, attempts, provider, provider_message_id, last_error)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            rows,
        )
    bare_s = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "benchmark": "fanout",
                "database": "sqlite-wal",
                "recipients": n,
                "deliveries": created,
                "seconds": round(pctt_s, 3),
                "deliveries_per_s": round(created / pctt_s),
                "naive_create_per_s": round(n / naive_s),
                "naive_sample": len(sample),
                "speedup_vs_naive": round(naive_s / pctt_s, 1),
                "baseline_seconds": round(bare_s, 3),
                "bare_executemany_per_s": round(n / bare_s),
                "ratio": round(pctt_s / bare_s, 2),
                "peak_rss_mb": round(fan_out_peak_mb, 1),
                "peak_rss_mb_with_baselines": round(peak_mb, 1),
                "python": sys.version.split()[0],
            }
        )
    )


if __name__ == "__main__":
    main()
