"""Helpers for tests that sign users in (documented in docs/security.md).

`Client.force_login` skips the password; the test suite (tests/conftest.py) makes it skip the
second factor the same way, through `force_login_verified`: a user whose role requires a
second factor gets a confirmed authenticator and a session marked as verified and freshly
re-authenticated. Two-factor enforcement itself stays on in the test settings; tests of it sign
in with the real form or with `force_login_password_only`.

Browser tests sign in through the real form and type a real code: `second_factor_code`.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from pctt.accounts import otp

_original_force_login = Client.force_login


def force_login_password_only(client: Client, user: Any, backend: str | None = None) -> None:
    """Django's own force_login: signed in, second factor not passed."""
    _original_force_login(client, user, backend)


def authenticator_for(user: Any) -> TOTPDevice:
    """The user's confirmed authenticator, made if there is none."""
    device = otp.confirmed_totp(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=otp.TOTP_NAME, confirmed=True)
    return device


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app would show now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def verify_session(client: Client, user: Any) -> None:
    """Mark the client's session as having passed the second factor just now."""
    device = authenticator_for(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[otp.REAUTH_AT] = time.time()
    session.save()


def force_login_verified(client: Client, user: Any, backend: str | None = None) -> None:
    _original_force_login(client, user, backend)
    if otp.requires_second_factor(user):
        verify_session(client, user)


def second_factor_code(username: str) -> str | None:
    """For a sign-in through the form: the code to type, or None when the user's role needs
    no second factor. Makes the user's authenticator if they have none yet."""
    user = get_user_model().objects.get(username=username)
    if not otp.requires_second_factor(user):
        return None
    return current_code(authenticator_for(user))
