"""Local development and the demo: `pctt run`."""

from __future__ import annotations

import secrets

from pctt.settings.base import *  # noqa: F403
from pctt.settings.base import VAR_DIR

DEBUG = True


def _dev_secret_key() -> str:
    # A key kept under var/ so sessions survive restarts; never used in production,
    # where prod.py refuses to start without SECRET_KEY.
    path = VAR_DIR / "dev-secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = SECRET_KEY or _dev_secret_key()  # noqa: F405
