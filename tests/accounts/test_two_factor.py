"""Second factor for approvers and administrators, lock-out, session expiry, re-authentication
before approving an Actual warning, argon2 in production."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from pctt.accounts import otp
from pctt.accounts.models import AuditEntry, LoginFailure, RecoveryCode
from pctt.accounts.roles import RoleKey
from pctt.accounts.testing import current_code, force_login_password_only
from pctt.alerts import actions
from pctt.alerts.models import Alert
from tests.alerts.factories import flood_draft, user_with

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-pass-phrase-42"


def _user(role: RoleKey, username: str) -> Any:
    user = user_with(role, username)
    user.set_password(PASSWORD)
    user.save()
    return user


def _sign_in(client: Client, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post(
        "/admin/login/", {"username": username, "password": password}, follow=False, **extra
    )


def _enrol(client: Client, user: Any) -> list[str]:
    page = client.get("/admin/2fa/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post("/admin/2fa/", {"otp_token": current_code(device), "next": "/admin/"})
    assert done.status_code == 200
    return re.findall(r"<li><code>([0-9a-z]+)</code></li>", done.content.decode())


def test_an_approver_signed_in_with_a_password_alone_cannot_use_the_back_office() -> None:
    _user(RoleKey.ALERT_APPROVER, "ap")
    client = Client()
    assert _sign_in(client, "ap").status_code == 302
    for path in ("/admin/", "/admin/warnings/", "/admin/audit/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/2fa/?next=")
    # Not even a POST gets through.
    assert client.post("/admin/warnings/1/approve/")["Location"] == "/admin/2fa/"
    # The icon sprite the 2FA page's own scripts fetch is served, not redirected.
    assert client.get("/admin/sprite/").status_code == 200


@pytest.mark.parametrize("role", [RoleKey.ADMINISTRATOR, RoleKey.ALERT_APPROVER])
def test_enrolling_shows_a_local_qr_code_then_recovery_codes_once(role: RoleKey) -> None:
    user = _user(role, "who")
    client = Client()
    _sign_in(client, "who")
    html = client.get("/admin/2fa/").content.decode()
    qr = re.search(r'id="otp-qr" src="([^"]+)"', html)
    assert qr and qr.group(1).startswith("data:image/svg+xml;base64,")
    assert 'id="otp-secret"' in html
    wrong = client.post("/admin/2fa/", {"otp_token": "000000"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.filter(confirmed=True).exists()
    # django-otp now throttles this device for a second; not waited for here.
    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0)
    codes = _enrol(client, user)
    assert len(codes) == otp.RECOVERY_CODES
    assert client.get("/admin/warnings/").status_code == 200
    # The codes are not shown again: the page only counts them.
    manage = client.get("/admin/2fa/").content.decode()
    assert not any(code in manage for code in codes)
    assert AuditEntry.objects.filter(action="accounts.second_factor.enrol", actor=user).exists()


def test_a_later_sign_in_needs_a_code_and_a_recovery_code_works_once() -> None:
    user = _user(RoleKey.ALERT_APPROVER, "ap")
    first = Client()
    _sign_in(first, "ap")
    codes = _enrol(first, user)

    second = Client()
    _sign_in(second, "ap")
    assert second.get("/admin/warnings/")["Location"].startswith("/admin/2fa/")
    assert "otp-qr" not in second.get("/admin/2fa/").content.decode()  # no new enrolment
    assert second.post("/admin/2fa/", {"otp_token": "123456"}).status_code == 200
    assert second.get("/admin/warnings/").status_code == 302
    used = second.post("/admin/2fa/", {"otp_token": codes[0], "next": "/admin/warnings/"})
    assert used["Location"] == "/admin/warnings/"
    assert second.get("/admin/warnings/").status_code == 200

    third = Client()
    _sign_in(third, "ap")
    third.post("/admin/2fa/", {"otp_token": codes[0]})
    assert third.get("/admin/warnings/").status_code == 302  # a recovery code works once
    assert RecoveryCode.objects.filter(device__user=user).count() == otp.RECOVERY_CODES - 1


def test_roles_that_cannot_approve_or_administer_are_not_forced() -> None:
    _user(RoleKey.ALERT_OPERATOR, "op")
    client = Client()
    _sign_in(client, "op")
    assert client.get("/admin/warnings/").status_code == 200


def test_a_hostile_next_address_is_not_followed() -> None:
    user = _user(RoleKey.ALERT_APPROVER, "ap")
    client = Client()
    _sign_in(client, "ap")
    client.get("/admin/2fa/")
    device = TOTPDevice.objects.get(user=user)
    response = client.post(
        "/admin/2fa/", {"otp_token": current_code(device), "next": "https://evil.example/"}
    )
    assert "evil.example" not in response.content.decode()


def test_failed_sign_ins_lock_the_username_then_the_lock_expires(settings: Any) -> None:
    settings.PCTT_LOGIN_MAX_FAILURES = 3
    _user(RoleKey.ALERT_OPERATOR, "op")
    client = Client()
    for _ in range(3):
        assert _sign_in(client, "op", "wrong").status_code == 200
    refused = _sign_in(client, "op")
    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Too many failed sign-ins" in refused.content.decode() or "Đăng nhập sai" in (
        refused.content.decode()
    )
    assert AuditEntry.objects.filter(action="accounts.locked_out").count() == 1
    # The window passes.
    LoginFailure.objects.update(at=LoginFailure.objects.first().at.replace(year=2000))  # type: ignore[union-attr]
    assert _sign_in(client, "op").status_code == 302
    assert not LoginFailure.objects.filter(username="op").exists()


def test_failed_sign_ins_from_one_address_lock_that_address_for_every_username(
    settings: Any,
) -> None:
    settings.PCTT_LOGIN_MAX_FAILURES = 100
    settings.PCTT_LOGIN_MAX_FAILURES_PER_IP = 4
    _user(RoleKey.ALERT_OPERATOR, "op")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for name in ("a", "b", "c", "d"):
        _sign_in(attacker, name, "guess")
    assert _sign_in(attacker, "op").status_code == 200  # locked, right password or not
    assert _sign_in(Client(REMOTE_ADDR="198.51.100.7"), "op").status_code == 302


def test_wrong_codes_count_towards_the_lock_out(settings: Any) -> None:
    settings.PCTT_LOGIN_MAX_FAILURES = 3
    user = _user(RoleKey.ALERT_APPROVER, "ap")
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    client = Client()
    _sign_in(client, "ap")
    for _ in range(3):
        client.post("/admin/2fa/", {"otp_token": "000000"})
    device = TOTPDevice.objects.get(user=user)
    client.post("/admin/2fa/", {"otp_token": current_code(device)})
    assert client.get("/admin/warnings/").status_code == 302


def _stamp(client: Client, key: str, seconds_ago: float) -> None:
    session = client.session
    session[key] = time.time() - seconds_ago
    session.save()


def test_an_idle_session_is_signed_out(settings: Any) -> None:
    client = Client()
    client.force_login(_user(RoleKey.ALERT_OPERATOR, "op"))
    assert client.get("/admin/warnings/").status_code == 200
    _stamp(client, otp.SEEN_AT, settings.PCTT_SESSION_IDLE_SECONDS - 30)
    assert client.get("/admin/warnings/").status_code == 200
    _stamp(client, otp.SEEN_AT, settings.PCTT_SESSION_IDLE_SECONDS + 1)
    response = client.get("/admin/warnings/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_a_session_ends_at_its_absolute_limit_even_when_active(settings: Any) -> None:
    client = Client()
    client.force_login(_user(RoleKey.ALERT_OPERATOR, "op"))
    _stamp(client, otp.AUTH_AT, settings.PCTT_SESSION_MAX_SECONDS + 1)
    _stamp(client, otp.SEEN_AT, 1)
    response = client.get("/admin/warnings/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert settings.SESSION_COOKIE_AGE == settings.PCTT_SESSION_MAX_SECONDS


def _submitted(status: str) -> tuple[Alert, Any]:
    author = user_with(RoleKey.ALERT_OPERATOR, f"op-{status}")
    alert = flood_draft(author, status=status)
    actions.submit(alert, user=author)
    return alert, author


def test_approving_an_actual_warning_needs_password_and_code_again(demo_ward: object) -> None:
    alert, _author = _submitted("Actual")
    approver = _user(RoleKey.ALERT_APPROVER, "ap")
    client = Client()
    client.force_login(approver)  # verified at sign-in, just now
    _stamp(client, otp.REAUTH_AT, 10 * 60)
    response = client.post(f"/admin/warnings/{alert.pk}/approve/")
    assert response["Location"].startswith("/admin/2fa/confirm/?next=")
    alert.refresh_from_db()
    assert alert.state == Alert.State.SUBMITTED

    device = TOTPDevice.objects.get(user=approver, confirmed=True)
    bad = client.post(
        "/admin/2fa/confirm/", {"password": "nope", "otp_token": current_code(device)}
    )
    assert bad.status_code == 200
    good = client.post(
        "/admin/2fa/confirm/",
        {"password": PASSWORD, "otp_token": current_code(device), "next": response["Location"]},
    )
    assert good.status_code == 302
    client.post(f"/admin/warnings/{alert.pk}/approve/")
    alert.refresh_from_db()
    assert alert.state == Alert.State.ISSUED


def test_approving_an_exercise_needs_no_re_authentication(demo_ward: object) -> None:
    alert, _author = _submitted("Exercise")
    client = Client()
    client.force_login(_user(RoleKey.ALERT_APPROVER, "ap"))
    _stamp(client, otp.REAUTH_AT, 10 * 60)
    client.post(f"/admin/warnings/{alert.pk}/approve/")
    alert.refresh_from_db()
    assert alert.state == Alert.State.ISSUED


def test_a_password_only_session_cannot_re_authenticate_without_a_code() -> None:
    approver = _user(RoleKey.ALERT_APPROVER, "ap")
    client = Client()
    force_login_password_only(client, approver)
    assert not client.session.get(otp.REAUTH_AT)
    assert client.get("/admin/2fa/confirm/").status_code == 200  # reachable, to say what is owed
    assert client.get("/admin/warnings/")["Location"].startswith("/admin/2fa/")


def test_two_factor_enforcement_is_on_in_the_test_settings(settings: Any) -> None:
    assert {"administrator", "alert_approver"} <= set(settings.PCTT_TWO_FACTOR_ROLES)
    superuser = get_user_model().objects.create_superuser("root", password=PASSWORD)
    assert otp.requires_second_factor(superuser)


def test_production_settings_hash_passwords_with_argon2() -> None:
    code = (
        "import django; from django.conf import settings; django.setup();"
        "from django.contrib.auth.hashers import make_password;"
        "print(settings.PASSWORD_HASHERS[0]); print(make_password('x')[:9])"
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
    first, prefix = result.stdout.split()
    assert first == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert prefix == "argon2$ar"
