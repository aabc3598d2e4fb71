"""Readings per second over HTTP into SQLite, with checks and threshold evaluation, against a
baseline endpoint in the same server process that inserts the same rows with neither.

Same run, same server, batches of 100, alternating between the two endpoints so that load on
the machine hits both alike. Then the median time from posting a reading that crosses BĐ1 to
its proposal (and warning draft) being committed and visible in the database.
Prints one JSON line. Run: uv run python benchmarks/ingest.py [--batches 40]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

SETTINGS = """
from pctt.settings.base import *  # noqa
DEBUG = False
SECRET_KEY = "benchmark-only"
ROOT_URLCONF = "bench_urls"
LOGGING = {"version": 1, "disable_existing_loggers": True}
"""
URLS = """
import json
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.utils.dateparse import parse_datetime
from pctt.hazards.models import Observation, Station

@csrf_exempt
def baseline(request):
    station = Station.objects.get(code="BENCH-BASE")
    rows = json.loads(request.body)["readings"]
    Observation.objects.bulk_create(
        Observation(station=station, observed_at=parse_datetime(r["time"]), value=r["value"],
                    source="http")
        for r in rows
    )
    return JsonResponse({"accepted": len(rows)})

urlpatterns = [
    path("baseline/observations", baseline),
    path("quan-trac/", include("pctt.hazards.urls")),
]
"""
SETUP = """
from django.contrib.auth import get_user_model
from pctt.accounts.roles import RoleKey, group_for, sync_roles
from pctt.alerts.defaults import install_default_templates
from pctt.hazards import actions
from pctt.hazards.models import Station
sync_roles(); install_default_templates()
admin = get_user_model().objects.create_user("bench-admin")
admin.groups.add(group_for(RoleKey.ADMINISTRATOR))
for code in ("BENCH-01", "BENCH-BASE"):
    Station.objects.create(code=code, name=code, kind="water_level", min_value=0, max_value=50,
                           max_jump_per_hour=100)
station = Station.objects.get(code="BENCH-01")
actions.set_thresholds(station, user=admin, bd1=3, bd2=4, bd3=5, source_document="benchmark")
print(actions.issue_token(station, user=admin))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _batch(start: datetime, index: int, size: int) -> dict[str, object]:
    base = start + timedelta(seconds=size * index)
    return {
        "readings": [
            {
                "time": (base + timedelta(seconds=i)).isoformat(),
                "value": 2.0 + (i % 7) / 100,
                "unit": "m",
            }
            for i in range(size)
        ]
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=40)
    parser.add_argument("--size", type=int, default=100)
    parser.add_argument("--crossings", type=int, default=15)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pctt-bench-ingest-"))
    (tmp / "bench_settings.py").write_text(SETTINGS)
    (tmp / "bench_urls.py").write_text(URLS)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": f"{tmp}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        "PCTT_VAR_DIR": str(tmp),
        "DATABASE_URL": "",
    }
    python = [sys.executable, "-m", "pctt.cli"]
    subprocess.run([*python, "migrate", "-v", "0", "--skip-checks"], env=env, check=True)
    token = (
        subprocess.run(
            [*python, "shell", "-c", textwrap.dedent(SETUP)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    port = _free_port()
    server = subprocess.Popen(
        [*python, "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            for _ in range(100):
                try:
                    client.get("/quan-trac/api/stations")
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            headers = {"Authorization": f"Bearer {token}"}
            start = datetime.now(UTC) - timedelta(days=20)
            spent = {"pctt": 0.0, "baseline": 0.0}
            for index in range(args.batches):
                body = _batch(start, index, args.size)
                for name, url in (
                    ("pctt", "/quan-trac/api/observations"),
                    ("baseline", "/baseline/observations"),
                ):
                    began = time.perf_counter()
                    response = client.post(url, json=body, headers=headers)
                    spent[name] += time.perf_counter() - began
                    assert response.status_code == 200, response.text
                    assert response.json()["accepted"] == args.size, response.text
            rate = {k: args.batches * args.size / v for k, v in spent.items()}

            database = sqlite3.connect(tmp / "pctt.sqlite3", timeout=10)
            latencies = []
            now = datetime.now(UTC)
            for trial in range(args.crossings):
                at = now - timedelta(minutes=2 * (args.crossings - trial))
                low = {"time": (at - timedelta(seconds=30)).isoformat(), "value": 2.0}
                client.post(
                    "/quan-trac/api/observations", json={"readings": [low]}, headers=headers
                )
                database.execute("UPDATE hazards_proposal SET state='dismissed'")
                database.commit()
                before = database.execute("SELECT count(*) FROM hazards_proposal").fetchone()[0]
                began = time.perf_counter()
                client.post(
                    "/quan-trac/api/observations",
                    json={"readings": [{"time": at.isoformat(), "value": 3.2}]},
                    headers=headers,
                )
                while (
                    database.execute(
                        "SELECT count(*) FROM hazards_proposal"
                        " WHERE level=1 AND alert_id IS NOT NULL AND state='open'"
                    ).fetchone()[0]
                    == 0
                ):
                    if time.perf_counter() - began > 10:
                        raise SystemExit("no proposal within 10 s")
                    time.sleep(0.001)
                latencies.append(time.perf_counter() - began)
                assert (
                    database.execute("SELECT count(*) FROM hazards_proposal").fetchone()[0] > before
                )
    finally:
        server.terminate()
        server.wait(10)
    print(
        json.dumps(
            {
                "benchmark": "hazards_ingest_http",
                "batch_size": args.size,
                "batches": args.batches,
                "readings_per_s": round(rate["pctt"]),
                "baseline_readings_per_s": round(rate["baseline"]),
                "ratio": round(rate["pctt"] / rate["baseline"], 3),
                "target_ratio": 0.7,
                "crossing_to_proposal_median_ms": round(statistics.median(latencies) * 1000, 1),
                "crossing_to_proposal_max_ms": round(max(latencies) * 1000, 1),
                "server": "django runserver (threaded), SQLite WAL, synchronous=NORMAL",
            }
        )
    )


if __name__ == "__main__":
    main()
