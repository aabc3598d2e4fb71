"""Content-Security-Policy on every page (strict on the portal, with the back office's inline
allowances under /admin/ only), and the production cookie and transport settings."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.test import Client


def _policy(response: object) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]  # type: ignore[index]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/nhan-canh-bao/", "/y-kien/", "/admin/login/"])
def test_every_page_carries_a_policy(path: str, demo_ward: object) -> None:
    response = Client().get(path)
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    if path.startswith("/admin/"):
        assert "'unsafe-inline'" in policy["script-src"]
    else:
        assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"]


def test_production_settings_keep_transport_and_cookies_secure() -> None:
    code = (
        "import django; from django.conf import settings as s; django.setup();"
        "print(s.SECURE_HSTS_SECONDS >= 31536000, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SESSION_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SAMESITE,"
        " 'pctt.accounts.csp.PolicyMiddleware' in s.MIDDLEWARE,"
        " 'django_otp.middleware.OTPMiddleware' in s.MIDDLEWARE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            "DJANGO_SETTINGS_MODULE": "pctt.settings.prod",
            "SECRET_KEY": "k" * 50,
            "DATABASE_URL": "sqlite://:memory:",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "True", "True", "Lax", "True", "True"]


def test_production_settings_pass_the_deployment_checks() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            "DJANGO_SETTINGS_MODULE": "pctt.settings.prod",
            "SECRET_KEY": "x" * 30 + "-Kq8#pL2@vZ9!mN4$wR7",
            "DATABASE_URL": "sqlite://:memory:",
            "ALLOWED_HOSTS": "pctt.example.gov.vn",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
