"""Portal under load: the production set-up (nginx serving snapshot files, gunicorn behind it)
against bare nginx serving a copy of the same files, and the embedded set-up (gunicorn alone,
snapshots served by pctt's middleware), all measured with wrk on 127.0.0.1 in one run.

Needs Debian's nginx and wrk (`apt-get install nginx-light wrk`). Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DURATION = "6s"
CONNECTIONS = 64


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
            with urllib.request.urlopen(request, timeout=2):  # loopback only
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


def wrk(url: str) -> tuple[float, float]:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{DURATION}",
            "--latency",
            "-H",
            "X-Forwarded-Proto: https",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99_value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    p99_ms = float(p99_value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return rps, p99_ms


def prepare(var: Path, env: dict[str, str]) -> None:
    """A fresh database with the demo ward and one active warning, snapshots built."""
    script = (
        "from pctt.demo.load import load_demo\n"
        "load_demo(full_reference=False, app_content=False)\n"
        "from django.contrib.auth import get_user_model\n"
        "from pctt.alerts import actions\n"
        "from pctt.alerts.models import WarningTemplate\n"
        "from pctt.areas.models import AdminUnit\n"
        "users = get_user_model().objects\n"
        "op, ap = users.get(username='soancanhbao'), users.get(username='pheduyet')\n"
        "groups = list(AdminUnit.objects.groups().values_list('pk', flat=True)[:3])\n"
        "values = dict(station='Bến Sông', water_level='12,4', time='7h', areas='tổ 1, 2, 3',\n"
        "              shelter='Trường Tiểu học')\n"
        "draft = actions.create_draft(user=op, template=WarningTemplate.objects.get(\n"
        "    key='lu-bao-dong-2'), values=values, area_ids=groups)\n"
        "actions.submit(draft, user=op)\n"
        "actions.approve(draft, user=ap)\n"
    )
    py = sys.executable
    subprocess.run([py, "-m", "pctt.cli", "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([py, "-m", "pctt.cli", "shell", "-c", script], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [py, "-m", "pctt.cli", "portal", "rebuild"],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    assert (var / "snapshots" / "index.html").exists()


NGINX = """
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  types {{ text/html html; application/atom+xml atom; }}
  map $cookie_django_language$cookie_pctt_text $pctt_snapshot {{
    default ""; "" "/snapshots"; "vi" "/snapshots";
  }}
  # The production set-up of docs/deployment.md.
  server {{
    listen 127.0.0.1:{prod_port};
    root {var};
    location = / {{ add_header Cache-Control "public, max-age=30";
                    try_files $pctt_snapshot/index.html @django; }}
    location / {{ try_files /nonexistent @django; }}
    location @django {{ proxy_pass http://127.0.0.1:{app_port};
                       proxy_set_header Host $host;
                       proxy_set_header X-Forwarded-Proto https; }}
  }}
  # Bare nginx serving a copy of the same snapshot files: the baseline.
  server {{
    listen 127.0.0.1:{bare_port};
    root {copy};
    location / {{ index index.html; }}
  }}
}}
"""


def main() -> int:
    for tool in ("nginx", "wrk"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            print(json.dumps({"benchmark": "portal", "error": f"{tool} not installed"}))
            return 1
    tmp = Path(tempfile.mkdtemp(prefix="pctt-bench-portal-"))
    tmp.chmod(0o755)  # nginx's workers run as an unprivileged user and must read the files
    var = tmp / "var"
    env = {
        **os.environ,
        "PCTT_VAR_DIR": str(var),
        "DATABASE_URL": "",
        "DJANGO_SETTINGS_MODULE": "pctt.settings.prod",
        "SECRET_KEY": "b" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PCTT_SITE_URL": "https://127.0.0.1",
    }
    prepare(var, {**env, "DJANGO_SETTINGS_MODULE": "pctt.settings.dev"})
    subprocess.run(
        [sys.executable, "-m", "pctt.cli", "collectstatic", "--no-input", "-v0"],
        env=env,
        check=True,
        cwd=ROOT,
    )
    shutil.copytree(var / "snapshots", tmp / "copy")
    for folder in (var, var / "snapshots", *[p for p in var.rglob("*") if p.is_dir()]):
        folder.chmod(0o755)
    app_port, prod_port, bare_port = free_port(), free_port(), free_port()
    (tmp / "nginx.conf").write_text(
        NGINX.format(
            tmp=tmp,
            var=var,
            copy=tmp / "copy",
            app_port=app_port,
            prod_port=prod_port,
            bare_port=bare_port,
        )
    )
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "pctt.wsgi",
            "-b",
            f"127.0.0.1:{app_port}",
            "-w",
            "2",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    nginx = subprocess.Popen(
        ["nginx", "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"]
    )
    try:
        for port in (app_port, prod_port, bare_port):
            wait_for(f"http://127.0.0.1:{port}/")
        print(f"ports app={app_port} prod={prod_port} bare={bare_port}", file=sys.stderr)
        nginx_rps, nginx_p99 = wrk(f"http://127.0.0.1:{bare_port}/")
        rps, p99 = wrk(f"http://127.0.0.1:{prod_port}/")
        embedded_rps, embedded_p99 = wrk(f"http://127.0.0.1:{app_port}/")
    finally:
        nginx.send_signal(signal.SIGQUIT)
        gunicorn.terminate()
        nginx.wait(timeout=10)
        gunicorn.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    print(
        json.dumps(
            {
                "benchmark": "portal",
                "page": "/ (home, one active warning)",
                "connections": CONNECTIONS,
                "duration": DURATION,
                "rps": round(rps),
                "p99_ms": round(p99, 2),
                "nginx_rps": round(nginx_rps),
                "nginx_p99_ms": round(nginx_p99, 2),
                "ratio": round(rps / nginx_rps, 3),
                "embedded_rps": round(embedded_rps),
                "embedded_p99_ms": round(embedded_p99, 2),
                "embedded_ratio": round(embedded_rps / nginx_rps, 3),
                "embedded": "gunicorn -w 2, snapshots served by pctt's middleware",
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
