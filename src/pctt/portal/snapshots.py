"""Hot public pages rendered to files whenever what they show changes.

When a storm comes, the whole ward opens the home page at once: it must cost a file read,
not a database query. The snapshot is rebuilt in the same call that issues, updates or
cancels a warning (once the change commits), and a snapshot whose earliest warning has
expired is never served: the next request rebuilds it.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils import timezone, translation

from pctt.alerts.models import Alert

logger = logging.getLogger("pctt.portal.snapshots")
MANIFEST = "manifest.json"
_lock = threading.RLock()
_state = threading.local()


def snapshot_dir() -> Path:
    return Path(settings.VAR_DIR) / "snapshots"


@dataclass(frozen=True)
class Page:
    path: str  # the URL path
    file: str  # relative file name under the snapshot folder
    content_type: str


def _file_for(path: str) -> str:
    return (
        "index.html"
        if path == "/"
        else path.strip("/") + ("/index.html" if path.endswith("/") else "")
    )


def hot_pages() -> list[Page]:
    pages = [
        Page("/", "index.html", "text/html; charset=utf-8"),
        Page("/cap/feed.atom", "cap/feed.atom", "application/atom+xml; charset=utf-8"),
    ]
    for alert in Alert.objects.active():
        path = f"/canh-bao/{alert.identifier}/"
        pages.append(Page(path, _file_for(path), "text/html; charset=utf-8"))
        cap_path = f"/cap/{alert.identifier}.xml"
        pages.append(Page(cap_path, cap_path.lstrip("/"), "application/cap+xml; charset=utf-8"))
    return pages


def _render(path: str) -> HttpResponse:
    from django.urls import resolve

    scheme, _sep, rest = settings.WAGTAILADMIN_BASE_URL.partition("://")
    secure = scheme.lower() == "https"
    site = rest.split("/", 1)[0] or "localhost"
    host, _sep, port = site.partition(":")
    # The page names the site as a visitor's request would: https links when the site is https.
    factory = RequestFactory(SERVER_NAME=host, SERVER_PORT=port or ("443" if secure else "80"))
    request: HttpRequest = factory.get(path, secure=secure)
    request.user = AnonymousUser()
    request.COOKIES = {}
    match = resolve(path)
    with translation.override(settings.LANGUAGE_CODE):
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        response: HttpResponse = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render"):
            response.render()
    return response


def _valid_until() -> datetime | None:
    """When the snapshot stops being true by itself: the earliest expiry on show."""
    expiries = list(Alert.objects.active().values_list("expires", flat=True))
    return min(expiries) if expiries else None


def _write_atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    temporary.replace(target)  # atomic: readers see the old file or the new one


def rebuilding() -> bool:
    """True inside a rebuild on this thread (rendering may save a setting row: no recursion)."""
    return getattr(_state, "active", False)


def rebuild() -> dict[str, Any]:
    """Render every hot page, swap the files in atomically, remove pages no longer hot."""
    with _lock:
        _state.active = True
        try:
            return _rebuild_locked()
        finally:
            _state.active = False


def _rebuild_locked() -> dict[str, Any]:
    root = snapshot_dir()
    pages = hot_pages()
    written = {}
    for page in pages:
        response = _render(page.path)
        if response.status_code != 200:
            logger.error("snapshot of %s failed with %s", page.path, response.status_code)
            continue
        _write_atomic(root / page.file, response.content)
        written[page.path] = {"file": page.file, "content_type": page.content_type}
    until = _valid_until()
    manifest = {
        "built_at": timezone.now().isoformat(),
        "valid_until": until.isoformat() if until else None,
        "pages": written,
    }
    _write_atomic(root / MANIFEST, json.dumps(manifest, indent=1).encode())
    keep = {root / p["file"] for p in written.values()} | {root / MANIFEST}
    for stale in [p for p in root.rglob("*") if p.is_file() and p not in keep]:
        stale.unlink(missing_ok=True)
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    _cache.clear()
    logger.info("portal snapshots rebuilt: %d pages", len(written))
    return manifest


# --- serving -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Served:
    body: bytes
    etag: str
    content_type: str


_cache: dict[str, tuple[float, Any]] = {}


def _manifest() -> dict[str, Any] | None:
    path = snapshot_dir() / MANIFEST
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return None
    cached = _cache.get(MANIFEST)
    if cached and cached[0] == mtime:
        return cached[1]  # type: ignore[no-any-return]
    manifest = json.loads(path.read_bytes())
    _cache[MANIFEST] = (mtime, manifest)
    return manifest  # type: ignore[no-any-return]


def lookup(path: str) -> Served | None:
    """The snapshot for a path, or None (not hot, not built, or no longer true)."""
    import hashlib

    manifest = _manifest()
    if manifest is None or path not in manifest["pages"]:
        return None
    until = manifest["valid_until"]
    if until is not None and datetime.fromisoformat(until) <= timezone.now():
        return None
    entry = manifest["pages"][path]
    file = snapshot_dir() / entry["file"]
    try:
        mtime = file.stat().st_mtime
    except FileNotFoundError:
        return None
    cached = _cache.get(path)
    if cached and cached[0] == mtime:
        return cached[1]  # type: ignore[no-any-return]
    body = file.read_bytes()
    served = Served(body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"', entry["content_type"])
    _cache[path] = (mtime, served)
    return served


def expired() -> bool:
    manifest = _manifest()
    if manifest is None or manifest["valid_until"] is None:
        return False
    return datetime.fromisoformat(manifest["valid_until"]) <= timezone.now()
