"""The deployment guide run for real: deploy/nginx/pctt.conf, as shipped, in front of gunicorn
started as pctt-web.service starts it, with production settings and the environment of
deploy/env.example, over HTTPS with a self-signed certificate.

Only paths, ports and the server name of the nginx file are changed (each substitution must
hit, so an edited file cannot silently escape the test). The database is a copy of the migrated
SQLite template tests/dispatch/test_crash_and_faults.py caches; the production static files are
collected once per set of static sources and cached the same way.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import IN_CI, ROOT
from tests.dispatch.test_crash_and_faults import CACHE, _migrated_template

NGINX_CONF = ROOT / "deploy" / "nginx" / "pctt.conf"
ENV_EXAMPLE = ROOT / "deploy" / "env.example"
GUIDE = ROOT / "docs" / "deployment.md"
NAME = "pctt.guide.test"
CERT_DIR = "/etc/letsencrypt/live/pctt.example.gov.vn"
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
HSTS = "max-age=31536000; includeSubDomains; preload"


def _tool(name: str, *fallbacks: str) -> str:
    found = shutil.which(name) or next((f for f in fallbacks if Path(f).exists()), None)
    if found is None:
        if IN_CI:
            pytest.fail(f"{name} is not installed under CI (./pctt.sh test installs it)")
        pytest.skip(f"{name} is not installed")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


def _env_example() -> dict[str, str]:
    pairs = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _sep, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


def _clean_environ() -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST", "DJANGO", "PCTT_")) and k not in _env_example()
    }


def _collected_static(env: dict[str, str]) -> Path:
    """`pctt collectstatic` under production settings, cached per set of static sources."""
    from django.contrib.staticfiles import finders

    digest = hashlib.sha256()
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            stat = Path(storage.path(path)).stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    cached = CACHE / f"static-prod-{digest.hexdigest()[:16]}"
    if not cached.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(dir=CACHE))
        result = subprocess.run(
            [sys.executable, "-m", "pctt.cli", "collectstatic", "--no-input"],
            env={**env, "PCTT_VAR_DIR": str(work)},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        with contextlib.suppress(OSError):  # another run got there first: the same files
            (work / "static").rename(cached)
        shutil.rmtree(work, ignore_errors=True)
    return cached


def _exec_start(unit: str) -> list[str]:
    """A unit's command line, with this checkout's .venv for /opt/pctt/.venv."""
    text = (ROOT / "deploy" / "systemd" / unit).read_text()
    line = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    argv = shlex.split(line.split("=", 1)[1])
    argv[0] = argv[0].replace("/opt/pctt/.venv", str(ROOT / ".venv"))
    return argv


def _substituted(text: str, replacements: list[tuple[str, str]]) -> str:
    for old, new in replacements:
        assert old in text, f"deploy/nginx/pctt.conf no longer contains {old!r}"
        text = text.replace(old, new)
    return text


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path, what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{what} did not listen on {port}:\n{log.read_text()[-3000:]}")


@dataclass
class Deployment:
    folder: Path
    var: Path
    http_port: int
    https_port: int
    gunicorn: subprocess.Popen[bytes]
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def request(
        self,
        method: str,
        path: str,
        *,
        tls: bool = True,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
    ) -> tuple[http.client.HTTPResponse, bytes]:
        conn: http.client.HTTPConnection
        if tls:
            context = ssl._create_unverified_context()  # self-signed for the test
            conn = http.client.HTTPSConnection(
                "127.0.0.1", self.https_port, context=context, timeout=30
            )
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=30)
        try:
            conn.request(method, path, body=body, headers={"Host": NAME, **(headers or {})})
            response = conn.getresponse()
            return response, response.read()
        finally:
            conn.close()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    if ON_POSTGRES:
        pytest.skip("runs in the SQLite pass: the deployed site has a database of its own")
    nginx = _tool("nginx", "/usr/sbin/nginx")
    openssl = _tool("openssl")
    folder = tmp_path_factory.mktemp("deployment")
    var, certs, acme, prefix = (folder / n for n in ("var", "certs", "acme", "nginx"))
    for d in (var, certs, acme / ".well-known" / "acme-challenge", prefix):
        d.mkdir(parents=True)

    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-subj", f"/CN={NAME}",
         "-keyout", str(certs / "privkey.pem"), "-out", str(certs / "fullchain.pem")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip

    # The environment file of the guide, with the values an administrator fills in.
    env = {
        **_clean_environ(),
        **_env_example(),
        "HOME": str(folder),  # gunicorn's control socket goes under $HOME
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": NAME,
        "CSRF_TRUSTED_ORIGINS": f"https://{NAME}",
        "PCTT_SITE_URL": f"https://{NAME}",
        "PCTT_VAR_DIR": str(var),
        "PCTT_BACKUP_DIR": str(folder / "backups"),
        "DATABASE_URL": f"sqlite:///{var / 'pctt.sqlite3'}",
    }
    assert env["DJANGO_SETTINGS_MODULE"] == "pctt.settings.prod"
    dev_env = {**env, "DJANGO_SETTINGS_MODULE": "pctt.settings.dev"}
    shutil.copy(_migrated_template(dev_env), var / "pctt.sqlite3")
    (var / "static").symlink_to(_collected_static(env), target_is_directory=True)

    web_port, http_port, https_port = _free_port(), _free_port(), _free_port()
    argv = _exec_start("pctt-web.service")
    argv[argv.index("--bind") + 1] = f"127.0.0.1:{web_port}"
    argv[argv.index("--workers") + 1] = "1"  # enough here; the unit's 3 boot three Djangos
    logs = folder / "processes.log"
    with logs.open("ab") as out:
        gunicorn = subprocess.Popen(
            argv, env=env, cwd=ROOT, stdout=out, stderr=out, start_new_session=True
        )
        # pctt-snapshots.service writes the hot pages when it starts.
        watcher = subprocess.Popen(
            _exec_start("pctt-snapshots.service"),
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
    site = Deployment(folder, var, http_port, https_port, gunicorn, [gunicorn, watcher])
    try:
        v6 = _ipv6_loopback()
        conf = _substituted(
            NGINX_CONF.read_text(),
            [
                (f"{CERT_DIR}/fullchain.pem", str(certs / "fullchain.pem")),
                (f"{CERT_DIR}/privkey.pem", str(certs / "privkey.pem")),
                ("pctt.example.gov.vn", NAME),
                ("/var/www/html", str(acme)),
                ("/var/lib/pctt", str(var)),
                ("127.0.0.1:8001", f"127.0.0.1:{web_port}"),
                ("listen 80;", f"listen 127.0.0.1:{http_port};"),
                ("listen [::]:80;", f"listen [::1]:{http_port};" if v6 else ""),
                ("listen 443 ", f"listen 127.0.0.1:{https_port} "),
                ("listen [::]:443 ", f"listen [::1]:{https_port} " if v6 else "# "),
            ],
        )
        (prefix / "pctt.conf").write_text(conf)
        temp = " ".join(
            f"{kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi")
        )
        # The parts of Debian's /etc/nginx/nginx.conf that the site file relies on.
        (prefix / "nginx.conf").write_text(
            ("user root;\n" if os.geteuid() == 0 else "")
            + "worker_processes 1;\nevents { worker_connections 256; }\nhttp {\n"
            + "  sendfile on; tcp_nopush on; types_hash_max_size 2048; gzip on;\n"
            + "  include /etc/nginx/mime.types; default_type application/octet-stream;\n"
            + f"  access_log {prefix / 'access.log'};\n"
            + f"  {temp} uwsgi_temp_path {prefix / 'uwsgi'}; scgi_temp_path {prefix / 'scgi'};\n"
            + f"  include {prefix / 'pctt.conf'};\n}}\n"
        )
        nginx_argv = [nginx, "-p", str(prefix), "-e", str(prefix / "error.log"),
                      "-c", str(prefix / "nginx.conf"),
                      "-g", f"daemon off; pid {prefix / 'nginx.pid'};"]  # fmt: skip
        check = subprocess.run([*nginx_argv, "-t"], capture_output=True, text=True, check=False)
        assert check.returncode == 0, check.stderr
        nginx_log = prefix / "error.log"
        server = subprocess.Popen(
            nginx_argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        site.processes.append(server)
        _wait_for_port(https_port, server, nginx_log, "nginx")
        _wait_for_port(web_port, gunicorn, logs, "gunicorn")
        deadline = time.monotonic() + 60
        while not (var / "snapshots" / "manifest.json").exists():
            assert watcher.poll() is None, logs.read_text()[-3000:]
            assert time.monotonic() < deadline, logs.read_text()[-3000:]
            time.sleep(0.2)
        yield site
    finally:
        # Each process leads its own group (gunicorn's and nginx's workers included). The
        # watcher notices SIGTERM only at its next tick (up to 10 s): nothing to keep there.
        watcher.kill()
        for process in reversed(site.processes):
            if process.poll() is None:
                process.terminate()  # nginx: fast shutdown; gunicorn: graceful
        for process in site.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def test_the_guide_tells_to_copy_the_tested_file_and_repeats_no_copy_of_it() -> None:
    guide = GUIDE.read_text()
    assert "deploy/nginx/pctt.conf" in guide
    assert not re.search(r"```nginx\n(?:.*\n)*?\s*server\s*\{", guide), "one source: the file"


def test_the_example_environment_does_not_start_production_until_a_secret_is_set() -> None:
    """A placeholder secret long enough to pass the check would ship a public key."""
    example = _env_example()
    assert example["SECRET_KEY"] == ""
    assert example["PCTT_TRUSTED_PROXIES"] == "1"  # nginx appends to X-Forwarded-For
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**_clean_environ(), **example},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_plain_http_answers_301_to_https_except_certificate_challenges(
    deployment: Deployment,
) -> None:
    response, _ = deployment.request("GET", "/admin/?next=%2F", tls=False)
    assert response.status == 301
    assert response.headers["Location"] == f"https://{NAME}/admin/?next=%2F"
    # A hostile Host header does not choose where visitors are sent.
    response, _ = deployment.request("GET", "/", tls=False, headers={"Host": "evil.example"})
    assert response.headers["Location"] == f"https://{NAME}/"

    token = secrets.token_urlsafe(16)
    challenge = deployment.folder / "acme" / ".well-known" / "acme-challenge" / token
    challenge.write_text("proof-of-control")
    response, body = deployment.request("GET", f"/.well-known/acme-challenge/{token}", tls=False)
    assert (response.status, body) == (200, b"proof-of-control")


def test_back_office_sign_in_works_over_https_through_the_proxy(deployment: Deployment) -> None:
    """X-Forwarded-Proto tells Django the visit is HTTPS: no redirect loop, secure cookies,
    and a posted form passes the CSRF origin check (CSRF_TRUSTED_ORIGINS)."""
    response, body = deployment.request("GET", "/admin/login/")
    assert response.status == 200, body[:500]
    assert response.headers["Strict-Transport-Security"] == HSTS
    cookie = response.headers["Set-Cookie"]
    assert "csrftoken=" in cookie
    assert "Secure" in cookie
    csrf_cookie = re.search(r"csrftoken=([^;]+)", cookie)
    form_token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert csrf_cookie and form_token

    response, body = deployment.request(
        "POST",
        "/admin/login/",
        headers={
            "Cookie": f"csrftoken={csrf_cookie.group(1)}",
            "Origin": f"https://{NAME}",
            "Referer": f"https://{NAME}/admin/login/",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=b"csrfmiddlewaretoken="
        + form_token.group(1)
        + b"&username=nobody&password=wrong-password",
    )
    assert response.status == 200, body[:500]  # the form again with an error, not 403 (CSRF)
    assert b'name="username"' in body


def test_a_hot_page_comes_from_its_snapshot_file_with_the_portal_headers(
    deployment: Deployment,
) -> None:
    # A warning page Django knows nothing of: only nginx can answer it from the file.
    page = deployment.var / "snapshots" / "canh-bao" / "urn-test-1" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<!doctype html><p id=marker-from-file>x</p>")
    response, body = deployment.request("GET", "/canh-bao/urn-test-1/")
    assert response.status == 200
    assert b"marker-from-file" in body
    assert response.headers["Strict-Transport-Security"] == HSTS
    assert response.headers["Cache-Control"] == "max-age=30"
    assert "Cookie" in response.headers["Vary"]

    # The file's policy is the one Django gives the same portal pages.
    dynamic, _ = deployment.request("GET", "/", headers={"Cookie": "django_language=en"})
    assert dynamic.status == 200

    def policy(header: str) -> dict[str, list[str]]:
        parts = (p.split() for p in header.split(";") if p.strip())
        return {p[0]: sorted(p[1:]) for p in parts}

    assert policy(response.headers["Content-Security-Policy"]) == policy(
        dynamic.headers["Content-Security-Policy"]
    )
    # English or large text: Django's dynamic page, not the Vietnamese file.
    response, _ = deployment.request(
        "GET", "/canh-bao/urn-test-1/", headers={"Cookie": "pctt_text=lon"}
    )
    assert response.status == 404
    # The snapshot folder itself is not browsable.
    response, _ = deployment.request("GET", "/manifest.json")
    assert response.status == 404


def test_static_files_and_public_media_only_are_served_by_nginx(deployment: Deployment) -> None:
    manifest = json.loads((deployment.var / "static" / "staticfiles.json").read_text())
    css = manifest["paths"]["pctt/portal/portal.css"]
    response, body = deployment.request("GET", f"/static/{css}")
    assert response.status == 200
    assert b"{" in body
    assert response.headers["Cache-Control"] == "max-age=604800"  # nginx's, not WhiteNoise's

    media = deployment.var / "media"
    for folder in ("images", "community/2026/01", "plans/received/X"):
        (media / folder).mkdir(parents=True)
        (media / folder / "f.jpg").write_bytes(b"\xff\xd8\xff" + b"0" * 64)
    response, _ = deployment.request("GET", "/media/images/f.jpg")
    assert response.status == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # Residents' photos and reports to the province stay behind Django's permission checks.
    for private in ("/media/community/2026/01/f.jpg", "/media/plans/received/X/f.jpg"):
        response, _ = deployment.request("GET", private)
        assert response.status == 404, private


def test_upload_limits_match_the_application(deployment: Deployment) -> None:
    big = b"x" * (13 * 1024 * 1024)
    response, _ = deployment.request("POST", "/y-kien/gui/", body=big)
    assert response.status == 413  # nginx refuses before it reaches gunicorn
    # The back office's area import takes 50 MB: its body reaches Django (which asks to sign in).
    response, _ = deployment.request("POST", "/admin/thiet-lap/khu-vuc/", body=big)
    assert response.status != 413


def test_the_feed_snapshot_names_the_site_as_django_does(deployment: Deployment) -> None:
    response, from_file = deployment.request("GET", "/cap/feed.atom")
    assert response.headers.get("X-Pctt-Snapshot") is None  # nginx's file, not Django
    _, dynamic = deployment.request("GET", "/cap/feed.atom", headers={"Cookie": "pctt_text=lon"})
    feed_id = re.compile(rb"<id>([^<]*)</id>")
    assert (
        feed_id.findall(from_file)[:1]
        == feed_id.findall(dynamic)[:1]
        == [f"https://{NAME}/cap/feed.atom".encode()]
    )


def test_with_the_web_server_stopped_nginx_still_serves_hot_pages_and_static_files(
    deployment: Deployment,
) -> None:
    """Last: a storm that takes gunicorn down leaves the home page and its style sheet up."""
    os.killpg(deployment.gunicorn.pid, signal.SIGKILL)  # master and workers, as in a crash
    deployment.gunicorn.wait(timeout=15)
    response, body = deployment.request("GET", "/")
    assert response.status == 200  # the snapshot `pctt migrate` built
    assert b"<html" in body
    manifest = json.loads((deployment.var / "static" / "staticfiles.json").read_text())
    response, _ = deployment.request(
        "GET", f"/static/{manifest['paths']['pctt/portal/portal.css']}"
    )
    assert response.status == 200
    response, _ = deployment.request("GET", "/admin/login/")
    assert response.status == 502
