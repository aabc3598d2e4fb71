"""Ward → province end to end: two installations, each with its own SQLite database and
var directory, the province served by a real server on loopback, configured and driven only
through `pctt` commands. Then hostile requests against the live province.

The migrated empty database is built once and cached by the hash of the migration files
(migrating from scratch takes ~30 s; every later run copies it and checks `migrate`)."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from pctt.plans import upward_signing as signing

SRC = Path(__file__).resolve().parents[2] / "src" / "pctt"
CACHE = Path(tempfile.gettempdir()) / "pctt-test-cache"
WARD_CODE = "DEMO-00001"
API = "/ke-hoach/api/bao-cao/"
TOKEN_ENV = "PCTT_PROVINCE_TOKEN"

MAKE_REPORT = """
import json
from django.utils import timezone
from pctt.areas.models import AdminUnit
from pctt.demo.load import WARD_CODE, load_demo
from pctt.plans import actions, demo
from pctt.plans.models import Organisation
from pctt.plans.periods import period_containing
from django.contrib.auth import get_user_model
load_demo(full_reference=False, app_content=False)
demo.load(AdminUnit.objects.get(code=WARD_CODE))
report = actions.create_report(
    user=get_user_model().objects.get(username="quantri"),
    organisation=Organisation.objects.get(kind="party_building_board"),
    period=period_containing(timezone.localdate(), "month"),
)
print(json.dumps({"id": report.pk, "figures": report.figures}))
"""


def _env(folder: Path, name: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO"))}
    env.update(
        DJANGO_SETTINGS_MODULE="pctt.settings.dev",
        DATABASE_URL=f"sqlite:///{folder / f'{name}.sqlite3'}",
        PCTT_VAR_DIR=str(folder / f"var-{name}"),
    )
    return env


def pctt(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "pctt.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"pctt {args[0]}: {result.stdout}\n{result.stderr}"
    return result


def _migrated_template() -> Path:
    digest = hashlib.sha256()
    for path in sorted(SRC.glob("*/migrations/*.py")):
        digest.update(path.read_bytes())
    template = CACHE / f"migrated-{digest.hexdigest()[:16]}.sqlite3"
    if not template.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(dir=CACHE))
        pctt(_env(work, "template"), "migrate", "--no-input", "-v", "0")
        (work / "template.sqlite3").replace(template)
        shutil.rmtree(work, ignore_errors=True)
    return template


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pctt.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, f"{process.args}: {out}\n{err}"
    return out


@pytest.fixture(scope="module")
def instances(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Both databases are copies of the migrated template (Django start-up costs seconds
    here, so independent steps of the two installations run side by side)."""
    folder = tmp_path_factory.mktemp("two-instances")
    template = _migrated_template()
    ward, province = _env(folder, "ward"), _env(folder, "province")
    for name in ("ward", "province"):
        shutil.copy(template, folder / f"{name}.sqlite3")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "pctt.cli", "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=province,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    making = _start(ward, "shell", "-c", MAKE_REPORT)
    adding = _start(province, "plans", "province", "add-ward", WARD_CODE, "Phường Bến Sông")
    try:
        token = _finish(adding).strip()
        made = json.loads(_finish(making).strip().splitlines()[-1])
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + API, timeout=1).status_code == 405:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the province server did not start"
            time.sleep(0.3)
        yield {
            "ward": {**ward, TOKEN_ENV: token},
            "province": province,
            "token": token,
            "url": base + API,
            "report_id": made["id"],
            "figures": made["figures"],
            "folder": folder,
        }
    finally:
        server.terminate()
        server.wait(timeout=10)
        for process in (making, adding):
            if process.poll() is None:
                process.kill()


def test_a_ward_pushes_its_report_and_the_province_has_the_same_figures_and_docx(
    instances: dict[str, Any],
) -> None:
    ward = instances["ward"]
    pctt(ward, "plans", "province-link", instances["url"], "--token-env", TOKEN_ENV)
    pushed = pctt(ward, "plans", "push", str(instances["report_id"]))
    assert pushed.stdout.startswith("sent"), pushed.stdout
    sent_files = list((instances["folder"] / "var-ward" / "media" / "plans" / "sent").iterdir())
    assert len(sent_files) == 1
    received = json.loads(
        pctt(instances["province"], "plans", "province", "received", "--json").stdout
    )
    assert len(received) == 1
    row = received[0]
    assert row["ward"] == WARD_CODE and row["signature_valid"]
    assert row["figures"] == instances["figures"] and row["figures"]["activities"] > 0
    assert row["docx_sha256"] == row["stored_docx_sha256"]
    assert row["docx_sha256"] == signing.sha256_hex(sent_files[0].read_bytes())
    instances["received"] = row


def _valid_request(instances: dict[str, Any], number: int, token: str | None = None) -> Any:
    """A correctly signed push of a fictional report (the docx the province stored)."""
    stored = instances["folder"] / "var-province" / "media" / instances["received"]["document"]
    docx = stored.read_bytes()
    payload = {
        "version": 1,
        "ward": {"code": WARD_CODE, "name": "Phường Bến Sông"},
        "report": {
            "number": number,
            "number_symbol": f"{number}-BC/ĐU",
            "layout": "party",
            "dated": "2026-01-01",
            "title": "thử",
            "period": "2025-12",
        },
        "figures": {
            **instances["received"]["figures"],
            "period": {
                "kind": "month",
                "starts_on": "2025-12-01",
                "ends_on": "2025-12-31",
                "label": "x",
            },
        },
    }
    token = token or instances["token"]
    canonical = signing.canonical_json(payload)
    signed = signing.Signed(
        int(time.time()),
        signing.new_nonce(),
        WARD_CODE,
        signing.sha256_hex(canonical),
        signing.sha256_hex(docx),
    )
    signature = signing.sign(signing.signing_key(signing.hash_token(token)), signed)
    return httpx.Request(
        "POST",
        instances["url"],
        headers=signing.headers(token, signed, signature),
        files={"figures": ("r.json", canonical), "document": ("r.docx", docx)},
    )


def test_the_live_province_refuses_bad_signatures_replays_oversized_bodies_and_strangers(
    instances: dict[str, Any],
) -> None:
    if "received" not in instances:
        pytest.skip("needs the push above")
    with httpx.Client(timeout=10) as client:
        first = _valid_request(instances, 90)
        assert client.send(first).status_code == 201
        replay = client.send(first)
        assert (replay.status_code, replay.json()["error"]) == (409, "replayed")
        bad = _valid_request(instances, 91)
        bad.headers[signing.HEADER_SIGNATURE] = "f" * 64
        answer = client.send(bad)
        assert (answer.status_code, answer.json()["error"]) == (401, "bad_signature")
        stranger = _valid_request(instances, 92, token=signing.new_token())
        answer = client.send(stranger)
        assert (answer.status_code, answer.json()["error"]) == (401, "unknown_token")
    host, port = instances["url"].split("//")[1].split("/")[0].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.putrequest("POST", API)
    connection.putheader("Content-Type", "multipart/form-data; boundary=x")
    connection.putheader("Content-Length", str(50_000_000))
    connection.putheader("Authorization", f"Bearer {instances['token']}")
    connection.endheaders(b"--x\r\n")
    oversized = connection.getresponse()
    assert oversized.status == 413 and json.loads(oversized.read())["error"] == "too_large"
    connection.close()
