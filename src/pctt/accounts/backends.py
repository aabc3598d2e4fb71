"""The model backend, refusing locked-out usernames and addresses before checking a password."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from pctt.accounts import lockout
from pctt.accounts.request_context import client_ip


class LockoutModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        ip = client_ip(request) if request is not None else None
        if username is not None and lockout.is_locked(username, ip):
            # PermissionDenied stops Django trying other backends; it still sends
            # user_login_failed, so hammering a locked account keeps it locked.
            raise PermissionDenied("locked out")
        return super().authenticate(request, username=username, password=password, **kwargs)
