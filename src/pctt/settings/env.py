"""Reading settings from the environment.

Every setting pctt reads from the environment is declared here, so that a test can
check that each one is documented in docs/settings.md (a drift guard).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url

#: name -> one-line description; docs/settings.md must mention every name.
DOCUMENTED: dict[str, str] = {
    "DATABASE_URL": "database (default: SQLite file var/pctt.sqlite3, WAL mode)",
    "SECRET_KEY": "Django secret key; production refuses to start without it",
    "ALLOWED_HOSTS": "comma-separated host names the site answers to",
    "PCTT_VAR_DIR": "folder for the SQLite file, media and generated files (default: var/)",
    "PCTT_SITE_URL": "public base URL of the portal, used in feeds and links",
    "CSRF_TRUSTED_ORIGINS": "comma-separated origins allowed to post forms (production)",
    "PCTT_TRUSTED_PROXIES": "how many reverse proxies in front set X-Forwarded-For (default 0)",
    "PCTT_SESSION_IDLE_MINUTES": "sign-out after this many minutes without a request",
    "PCTT_SESSION_MAX_HOURS": "sign-out this many hours after signing in, active or not",
    "PCTT_REAUTH_MINUTES": "how recent password + code must be to approve an Actual warning",
    "PCTT_LOGIN_MAX_FAILURES": "failed sign-ins per username before it is locked out",
    "PCTT_LOGIN_MAX_FAILURES_PER_IP": "failed sign-ins per IP address before it is locked out",
    "PCTT_LOGIN_LOCKOUT_MINUTES": "the window failures are counted in, and the lock-out length",
    "PCTT_UPLOAD_MAX_MB": "largest file accepted by an upload form, in megabytes",
    "PCTT_BACKUP_DIR": "where `pctt backup` writes its archives (default: var/backups)",
    "PCTT_RETENTION_CONTACT_DAYS": "days after which residents' contacts on submissions are erased",
    "PCTT_RETENTION_SUBMISSION_DAYS": "days after which submissions are anonymised",
    "PCTT_RETENTION_DELIVERY_DAYS": "days after which deliveries lose the link to the recipient",
    "PCTT_RETENTION_AUDIT_DETAIL_DAYS": "days after which audit entries' details are cleared",
    "PCTT_ASSISTANT_LLM_URL": "OpenAI-compatible API for the assistant's summary (empty: off)",
    "PCTT_ASSISTANT_LLM_MODEL": "model name sent to that API",
    "PCTT_ASSISTANT_LLM_KEY": "API key for that API (optional)",
}


def env_str(name: str, default: str | None = None) -> str | None:
    assert name in DOCUMENTED, f"undocumented setting {name}"
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_int(name: str, default: int) -> int:
    """A whole number from the environment; a malformed value stops start-up."""
    raw = env_str(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None
    if value < 0:
        raise ValueError(f"{name} must not be negative")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    raw = env_str(name, default) or ""
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_env(var_dir: Path) -> dict[str, Any]:
    url = env_str("DATABASE_URL")
    if url is None:
        # The embedded default: make its folder, or SQLite fails with "unable to open".
        var_dir.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{var_dir / 'pctt.sqlite3'}"
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=600))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web server read while the worker writes; NORMAL is safe in WAL
        # and roughly doubles insert throughput (DESIGN.md, measured limits).
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            " PRAGMA busy_timeout=5000;",
            "transaction_mode": "IMMEDIATE",
        }
        config["CONN_MAX_AGE"] = 0 if config["NAME"] == ":memory:" else 600
    return config
