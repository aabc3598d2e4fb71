"""`pctt run` (the README's run command ends in it): web server and worker, Ctrl-C stops both."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import ROOT


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    result = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False
    )
    return [int(p) for p in result.stdout.split()]


def test_run_serves_the_portal_with_a_worker_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "PCTT_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "DJANGO_SETTINGS_MODULE": "pctt.settings.dev",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "pctt.cli", "run", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        body = ""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    body = response.read().decode()
                    break
            except OSError:
                assert process.poll() is None, process.stdout.read()  # type: ignore[union-attr]
                time.sleep(0.5)
        assert "Phường Bến Sông (hư cấu)" in body
        workers = _children(process.pid)
        assert len(workers) == 6, (
            "web, task worker, outbox, feed poller, snapshot watcher, loudspeaker monitor"
        )

        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 0, output
    assert "quantri" in output and "pctt: stopped." in output
    assert all(
        subprocess.run(["kill", "-0", str(pid)], capture_output=True).returncode != 0
        for pid in workers
    )
    assert (tmp_path / "pctt.sqlite3").exists()


def test_run_without_demo_serves_an_empty_ward_and_says_how_to_create_the_first_administrator(
    tmp_path: Path,
) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "PCTT_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "DJANGO_SETTINGS_MODULE": "pctt.settings.dev",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "pctt.cli", "run", "--no-demo", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        status = 0
        body = ""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    status, body = response.status, response.read().decode()
                    break
            except OSError:
                assert process.poll() is None, process.stdout.read()  # type: ignore[union-attr]
                time.sleep(0.5)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/", timeout=5) as response:
            admin_url = response.url
        os.killpg(process.pid, signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert status == 200
    assert "Phường Bến Sông (hư cấu)" not in body
    assert "/admin/login/" in admin_url
    assert "pctt createsuperuser" in output and "quantri" not in output
