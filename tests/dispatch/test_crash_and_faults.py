"""Reliability with real processes: `pctt outbox` workers and a fan-out killed with SIGKILL,
a gateway that fails, hangs and dawdles, and a cancel while the worker is sending.

Each test runs on its own database with real subprocesses, and a loopback gateway in this
process that honours the idempotency key and counts unique keys and duplicate attempts
separately. The database follows the pass the suite runs in: on SQLite a copy of a migrated
file; when the run's ``DATABASE_URL`` is PostgreSQL (CI's second pass) the crash and cancel
tests run on a fresh PostgreSQL database (``CREATE DATABASE … TEMPLATE`` from a template
migrated once), with TWO outbox workers at once, as a province running several machines
would; there the workers claim with ``FOR UPDATE SKIP LOCKED``. Templates of both kinds are
named after the hash of the migration files, so a changed migration builds a new one.

Size: ``PCTT_CRASH_RECIPIENTS`` (default 5,000) and ``PCTT_CRASH_KILLS`` (default 3). The issue
asks for 100,000; on a 2-core CI machine that takes minutes, while 5,000 already spans many
batches (200 each), so every kill lands in the middle of sending and the restart has to
recover the interrupted batch. Run with ``PCTT_CRASH_RECIPIENTS=100000`` for the full size.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import service_or_skip
from tests.dispatch.gateway import IdempotentGateway

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "pctt"
CACHE = Path(tempfile.gettempdir()) / "pctt-test-cache"
RECIPIENTS = int(os.environ.get("PCTT_CRASH_RECIPIENTS", "5000"))
KILLS = int(os.environ.get("PCTT_CRASH_KILLS", "3"))
#: The database of this pytest run decides which backend the crash and cancel tests use.
RUN_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = RUN_URL.startswith(("postgres://", "postgresql://", "pgsql://"))

SEED = """
import os
from django.db import transaction
from django.utils import timezone
from pctt.areas.models import AdminUnit, WardSetting
from pctt.dispatch.actions import create_broadcast
from pctt.dispatch.models import ChannelProvider, Consent, Subscriber

n = int(os.environ["SEED_N"])
with transaction.atomic():
    WardSetting.load()
    p = AdminUnit.objects.create(code="P1", name="Tinh", level="province")
    c = AdminUnit.objects.create(code="C1", name="Phuong", level="commune", parent=p)
    g = AdminUnit.objects.create(code="C1G1", name="To 1", level="residential_group", parent=c)
now = timezone.now()
subs = Subscriber.objects.bulk_create(
    [Subscriber(phone=f"+8491{i:07d}", residential_group=g, is_fictional=True) for i in range(n)],
    batch_size=5000,
)
Consent.objects.bulk_create(
    [Consent(subscriber=s, channel="sms", method="import", given_at=now, confirmed_at=now)
     for s in subs],
    batch_size=5000,
)
for i, url in enumerate(os.environ["SEED_URLS"].split()):
    ChannelProvider.objects.create(
        name=f"gw{i}", channel=1, kind="sms_http", priority=i, rate_per_second=0,
        options={"url": url, "idempotency_header": "Idempotency-Key",
                 "message_id_field": "data.id", "timeout": 0.3},
    )
b = create_broadcast(reference="alert:crash:v1", status="actual", priority="emergency",
                     area_ids=[g.pk], content={"sms": {"vi": "Lũ lớn: sơ tán ngay."}})
print("BROADCAST", b.pk)
"""
FAN_OUT = "from pctt.dispatch.fanout import fan_out; print(fan_out({pk}, chunk=100))"
CANCEL = (
    "from pctt.dispatch.actions import withdraw_broadcasts;"
    " print('WITHDRAWN', withdraw_broadcasts(reference_prefix='alert:crash'))"
)


def _migrations_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(SRC.glob("*/migrations/*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _migrated_template(env: dict[str, str]) -> Path:
    template = CACHE / f"migrated-{_migrations_hash()}.sqlite3"
    if not template.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(dir=CACHE))
        _run({**env, "DATABASE_URL": f"sqlite:///{work / 'template.sqlite3'}"}, "migrate")
        (work / "template.sqlite3").replace(template)
        shutil.rmtree(work, ignore_errors=True)
    return template


def _run(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "pctt.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert result.returncode == 0, f"pctt {args[0]}: {result.stdout}\n{result.stderr}"
    return result.stdout


class Site:
    """One installation: a database, a var folder, and the environment to reach them."""

    backend = "sqlite"
    #: outbox worker processes running at once
    workers = 1

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.db = folder / "pctt.sqlite3"
        base = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO"))}
        self.env = {
            **base,
            "DJANGO_SETTINGS_MODULE": "pctt.settings.dev",
            "PCTT_VAR_DIR": str(folder / "var"),
            "DATABASE_URL": f"sqlite:///{self.db}",
        }
        self.processes: list[subprocess.Popen[str]] = []

    def create(self) -> None:
        shutil.copy(_migrated_template(self.env), self.db)

    def destroy(self) -> None:
        """Nothing to do for a file in the test's tmp_path."""

    def start(self, *args: str) -> subprocess.Popen[str]:
        """A process whose output goes to a log file in the site's folder (a pipe nobody reads
        would fill up and block the worker's logging)."""
        log = (self.folder / "processes.log").open("a")
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "pctt.cli", *args],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=log,
                text=True,
            )
        finally:
            log.close()
        self.processes.append(process)
        return process

    def worker(self, *extra: str) -> subprocess.Popen[str]:
        return self.start("outbox", "--idle", "0.05", "--lease", "1", *extra)

    def seed(self, n: int, *urls: str) -> int:
        out = _run({**self.env, "SEED_N": str(n), "SEED_URLS": " ".join(urls)}, "shell", "-c", SEED)
        return int(out.split("BROADCAST")[1].split()[0])

    def query(self, sql: str) -> list[tuple[object, ...]]:
        with sqlite3.connect(self.db, timeout=30) as db:
            return list(db.execute(sql))

    def statuses(self) -> dict[str, int]:
        rows = self.query("SELECT status, count(*) FROM dispatch_delivery GROUP BY status")
        return {str(s): int(str(n)) for s, n in rows}

    def keys(self, status: str) -> set[str]:
        rows = self.query(
            "SELECT broadcast_id, recipient_kind, recipient_id, channel FROM dispatch_delivery"
            f" WHERE status = '{status}'"
        )
        return {f"pctt-{b}-{k}-{r}-{c}" for b, k, r, c in rows}


class PostgresSite(Site):
    """The same installation on its own PostgreSQL database, with two workers at once.

    The lease is longer than on SQLite: with two workers alive, a live worker's batch must
    finish before the other one takes it for a dead worker's (a batch of 50 on the loopback
    gateway takes a fraction of a second; 3 s leaves room on a busy 2-core machine).
    """

    backend = "postgres"
    workers = 2
    batch = 50

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        parts = urlsplit(RUN_URL)
        host, port = parts.hostname or "127.0.0.1", parts.port or 5432
        service_or_skip(host, port, "PostgreSQL")
        self.server = f"postgres://{parts.username or 'postgres'}@{host}:{port}"
        self.name = f"pctt_crash_{uuid.uuid4().hex[:12]}"
        self.env["DATABASE_URL"] = f"{self.server}/{self.name}"
        self._connection: Any = None

    def _admin(self) -> Any:
        import psycopg

        return psycopg.connect(f"{self.server}/postgres", autocommit=True)

    def _template(self) -> str:
        """A database migrated once per set of migration files. It is built under a private
        name and renamed, so two runs on one server (CI and a developer) never share a
        half-migrated template."""
        import psycopg

        template = f"pctt_crash_tpl_{_migrations_hash()}"
        with self._admin() as admin:
            found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
            if found.fetchone():
                return template
            build = f"pctt_crash_build_{uuid.uuid4().hex[:12]}"
            admin.execute(f'CREATE DATABASE "{build}"')
            try:
                _run({**self.env, "DATABASE_URL": f"{self.server}/{build}"}, "migrate")
                _execute_when_free(admin, f'ALTER DATABASE "{build}" RENAME TO "{template}"')
            except psycopg.errors.DuplicateDatabase:
                pass  # another run finished first: use theirs
            finally:
                admin.execute(f'DROP DATABASE IF EXISTS "{build}" WITH (FORCE)')
        return template

    def create(self) -> None:
        template = self._template()
        with self._admin() as admin:
            _execute_when_free(admin, f'CREATE DATABASE "{self.name}" TEMPLATE "{template}"')
            # A throwaway database: no flush to disk at each of the workers' many small
            # commits. Only a crash of the server itself could lose them, which is not what
            # these tests do (they kill the workers); what the workers see is unchanged.
            admin.execute(f'ALTER DATABASE "{self.name}" SET synchronous_commit TO off')

    def destroy(self) -> None:
        if self._connection is not None:
            self._connection.close()
        with self._admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def worker(self, *extra: str) -> subprocess.Popen[str]:
        return self.start(
            "outbox", "--idle", "0.05", "--lease", "3", "--batch", str(self.batch), *extra
        )

    def query(self, sql: str) -> list[tuple[object, ...]]:
        import psycopg

        # One connection for the whole test: the tests poll every 20 ms.
        if self._connection is None or self._connection.closed:
            self._connection = psycopg.connect(self.env["DATABASE_URL"], autocommit=True)
        return list(self._connection.execute(sql).fetchall())


def _execute_when_free(admin: Any, sql: str) -> None:
    """Run *sql* that needs a database nobody is connected to: the session of a process that
    just exited (migrate) can linger a moment."""
    import psycopg

    for attempt in range(100):
        try:
            admin.execute(sql)
            return
        except psycopg.errors.ObjectInUse:
            if attempt == 99:
                raise
            time.sleep(0.1)


def _reached(gateway: IdempotentGateway, unique_keys: int) -> bool:
    return gateway.counts()["unique_keys"] >= unique_keys


def _wait(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def _stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0


def _open(site: Site) -> Iterator[Site]:
    site.create()
    try:
        yield site
    finally:
        for process in site.processes:  # a failed test leaves nothing running
            if process.poll() is None:
                process.kill()
                process.wait()
        site.destroy()


@pytest.fixture(params=["postgres" if ON_POSTGRES else "sqlite"])
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Site]:
    """The crash and cancel tests run on the backend of this pytest run."""
    yield from _open(PostgresSite(tmp_path) if request.param == "postgres" else Site(tmp_path))


@pytest.fixture
def sqlite_site(tmp_path: Path) -> Iterator[Site]:
    """The gateway-fault test exercises the worker's failover, not the database: SQLite."""
    yield from _open(Site(tmp_path))


def test_workers_and_fan_out_killed_repeatedly_still_send_each_delivery_exactly_once(
    site: Site,
) -> None:
    rng = random.Random(int(os.environ.get("PCTT_CRASH_SEED", "20261129")))
    n = RECIPIENTS
    with IdempotentGateway() as gateway:
        pk = site.seed(n, gateway.url)
        started = time.monotonic()
        fan_out = site.start("shell", "-c", FAN_OUT.format(pk=pk))
        workers = [site.worker() for _ in range(site.workers)]
        # Kill the fan-out once it has written part of the audience (if it is not done yet).

        def total() -> int:
            return sum(site.statuses().values())

        _wait(lambda: total() > 0, 120, "the fan-out to start")
        fan_out_killed = fan_out.poll() is None and total() < n
        fan_out.kill()
        fan_out.wait()
        fan_out = site.start("shell", "-c", FAN_OUT.format(pk=pk))
        kills: list[dict[str, Any]] = []
        for i in range(KILLS):
            # A random point in this kill's share of the audience: always mid-delivery.
            target = int(n * (i + rng.uniform(0.2, 0.8)) / (KILLS + 1))
            _wait(partial(_reached, gateway, target), 120, "progress")
            # With two workers: one of them, or both at once.
            victims = rng.choice([[0], [1], [0, 1]]) if len(workers) == 2 else [0]
            for v in victims:
                workers[v].kill()  # SIGKILL: no chance to record outcomes or release claims
            for v in victims:
                workers[v].wait()
            kills.append(
                {
                    "workers": victims,
                    "after_unique": gateway.counts()["unique_keys"],
                    "left_sending": site.statuses().get("sending", 0),
                }
            )
            for v in victims:
                workers[v] = site.worker()
        assert fan_out.wait(timeout=120) == 0
        _wait(lambda: site.statuses() == {"sent": n}, 300, f"all {n} deliveries sent")
        for worker in workers:
            _stop(worker)
        counts = gateway.counts()
        accepted = set(gateway.accepted)
    sent = site.keys("sent")
    killed = sum(len(k["workers"]) for k in kills)
    figures = {
        "backend": site.backend,
        "recipients": n,
        "workers": len(workers),
        "kills": [k["workers"] for k in kills],
        "fan_out_killed_mid_way": fan_out_killed,
        "interrupted_in_flight": [k["left_sending"] for k in kills],
        **counts,
        "seconds": round(time.monotonic() - started, 1),
    }
    print(json.dumps({"crash_test": figures}))
    assert counts["unique_keys"] == n and accepted == sent
    assert len(kills) == KILLS and all(k["after_unique"] < n for k in kills)
    # A resend happens only for deliveries in flight when a worker died (one batch each).
    batch = getattr(site, "batch", 200)
    assert counts["duplicate_attempts"] <= killed * batch
    assert counts["requests"] == n + counts["duplicate_attempts"]


def test_failing_gateways_end_everything_sent_or_failed_with_failover_and_no_stall(
    sqlite_site: Site,
) -> None:
    site = sqlite_site
    n = 600
    primary = IdempotentGateway(errors=0.3, timeouts=0.04, slow=0.2, hang=0.6, seed=1)
    backup = IdempotentGateway(errors=0.1, timeouts=0.02, slow=0.1, hang=0.6, seed=2)
    with primary, backup:
        pk = site.seed(n, primary.url, backup.url)
        _run(site.env, "shell", "-c", FAN_OUT.format(pk=pk))
        worker = site.worker("--batch", "50", "--base-delay", "0.05", "--max-attempts", "8")
        _wait(
            lambda: set(site.statuses()) <= {"sent", "failed"} and bool(site.statuses()),
            240,
            "every delivery to end",
        )
        assert worker.poll() is None, "the worker died"
        _stop(worker)  # answers SIGTERM promptly: not stuck on a hung request
        first, second = primary.counts(), backup.counts()
        accepted_twice = set(primary.accepted) & set(backup.accepted)
    statuses = site.statuses()
    print(json.dumps({"fault_test": {"statuses": statuses, "primary": first, "backup": second}}))
    assert sum(statuses.values()) == n
    assert first["failed_attempts"] > 0 and second["unique_keys"] > 0  # failover happened
    assert first["unique_keys"] + second["unique_keys"] == statuses.get("sent", 0)
    assert accepted_twice == set()
    failed = site.query("SELECT last_error FROM dispatch_delivery WHERE status = 'failed'")
    assert all(str(e).strip() for (e,) in failed)


def test_cancel_while_the_worker_sends_stops_everything_still_queued(site: Site) -> None:
    n = 1500
    batch = 50
    with IdempotentGateway(slow=1.0) as gateway:
        pk = site.seed(n, gateway.url)
        _run(site.env, "shell", "-c", FAN_OUT.format(pk=pk))
        # No worker dies here: a long lease keeps one worker from taking the other's slow batch.
        workers = [
            site.worker("--batch", str(batch), "--lease", "120") for _ in range(site.workers)
        ]
        _wait(lambda: gateway.counts()["unique_keys"] >= batch, 120, "sending to start")
        out = _run(site.env, "shell", "-c", CANCEL)
        withdrawn = int(out.split("WITHDRAWN")[1].split()[0])
        after_cancel = gateway.counts()["unique_keys"]
        _wait(lambda: not {"queued", "sending"} & set(site.statuses()), 60, "the batch in flight")
        for worker in workers:
            _stop(worker)
        accepted = set(gateway.accepted)
    statuses = site.statuses()
    print(
        json.dumps(
            {
                "cancel_test": {
                    "backend": site.backend,
                    "workers": len(workers),
                    "statuses": statuses,
                    "sent_at_cancel": after_cancel,
                }
            }
        )
    )
    assert withdrawn > 0 and statuses["withdrawn"] == withdrawn
    assert statuses == {"sent": n - withdrawn, "withdrawn": withdrawn}
    assert accepted == site.keys("sent") and not accepted & site.keys("withdrawn")
    # Only the batches already claimed when the cancel committed (one per worker) could still
    # go out.
    assert len(accepted) - after_cancel <= batch * len(workers)
