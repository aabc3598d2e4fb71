"""Sign-in receivers: count failures for lock-out, stamp the session when someone signs in."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from pctt.accounts import lockout, otp
from pctt.accounts.audit import log_action
from pctt.accounts.request_context import client_ip


@receiver(user_login_failed, dispatch_uid="pctt_accounts_login_failed")
def count_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username") or "")
    if not username:
        return
    ip = client_ip(request) if request is not None else None
    was_locked = lockout.is_locked(username, ip)
    lockout.record_failure(username, ip)
    if not was_locked and lockout.is_locked(username, ip):
        log_action("accounts.locked_out", user=None, data={"username": username, "ip": ip})


@receiver(user_logged_in, dispatch_uid="pctt_accounts_logged_in")
def stamp_session(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    lockout.clear(user.get_username())
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[otp.AUTH_AT] = now
    request.session[otp.SEEN_AT] = now
    # The password alone is not a re-authentication: the code is still owed.
    request.session.pop(otp.REAUTH_AT, None)
    log_action("accounts.sign_in", user=user)
