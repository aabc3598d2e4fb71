"""HTTP GET for feeds and the CAP messages they link, with hard limits.

Only URLs on the origin (scheme, host, port) of the feed an administrator configured are
fetched: pctt never fetches a URL merely because input named it. Redirects are followed by
hand under the same rule. Pure Python on httpx (no Django).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

USER_AGENT = "pctt-cap-ingest/1 (disaster warnings for a Vietnamese ward)"
MAX_REDIRECTS = 5
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class Limits:
    connect_timeout: float = 5.0
    total_timeout: float = 20.0  # for the whole exchange, redirects and body included
    max_bytes: int = 5_000_000


class FetchError(Exception):
    """A request failed; `code` is a stable id (see `messages.MESSAGES`)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Fetched:
    body: bytes | None  # None: 304 Not Modified
    etag: str = ""
    last_modified: str = ""


def origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:  # a port that is not a number
        port = None
    return scheme, (parts.hostname or "").lower(), port


def same_origin(url: str, allowed: str) -> bool:
    scheme, host, port = origin(url)
    return scheme in _DEFAULT_PORTS and (scheme, host, port) == origin(allowed) and bool(host)


def make_client() -> httpx.Client:
    return httpx.Client(follow_redirects=False, headers={"User-Agent": USER_AGENT})


def get(
    client: httpx.Client,
    url: str,
    *,
    allowed: str,
    limits: Limits = Limits(),
    etag: str = "",
    last_modified: str = "",
) -> Fetched:
    """GET `url` (on the origin of `allowed`); FetchError on any failure."""
    deadline = time.monotonic() + limits.total_timeout
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    for _hop in range(MAX_REDIRECTS + 1):
        if not same_origin(url, allowed):
            raise FetchError("fetch.other_origin", url)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError("fetch.timeout", f"{limits.total_timeout:g} s")
        timeout = httpx.Timeout(remaining, connect=min(limits.connect_timeout, remaining))
        try:
            with client.stream("GET", url, headers=headers, timeout=timeout) as response:
                if response.is_redirect and "location" in response.headers:
                    url = urljoin(url, response.headers["location"])
                    continue
                return _read(response, limits, deadline)
        except httpx.TimeoutException:
            raise FetchError("fetch.timeout", f"{limits.total_timeout:g} s") from None
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            raise FetchError("fetch.network", str(error) or type(error).__name__) from None
    raise FetchError("fetch.redirects", f"> {MAX_REDIRECTS}")


def _read(response: httpx.Response, limits: Limits, deadline: float) -> Fetched:
    if response.status_code == 304:
        return Fetched(body=None)
    if not 200 <= response.status_code < 300:
        raise FetchError("fetch.status", f"HTTP {response.status_code}")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError("fetch.too_large", f"{int(declared):,} > {limits.max_bytes:,} bytes")
    chunks: list[bytes] = []
    size = 0
    # Counted after decompression, so a small gzip bomb is stopped too.
    for chunk in response.iter_bytes(chunk_size=65536):
        size += len(chunk)
        if size > limits.max_bytes:
            raise FetchError("fetch.too_large", f"> {limits.max_bytes:,} bytes")
        if time.monotonic() > deadline:
            raise FetchError("fetch.timeout", f"{limits.total_timeout:g} s")
        chunks.append(chunk)
    return Fetched(
        body=b"".join(chunks),
        etag=response.headers.get("etag", "")[:200],
        last_modified=response.headers.get("last-modified", "")[:100],
    )
