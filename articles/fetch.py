"""Fetching a page or feed for import: http(s) only, public addresses, a size and a time limit.

Redirects are followed here, one hop at a time, so every address on the way is checked
like the first; each hop's host is resolved once and the connection goes to the address that
was checked (``outbound_session``: no second lookup, no proxy). The body is streamed and
abandoned as soon as it passes the size limit, and the whole download must finish within the
time limit, not just each read.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urljoin

import requests
import urllib3
from django.conf import settings

from .outbound import UnsafeURL, outbound_session

MAX_REDIRECTS = 5
USER_AGENT = "factcheck-importer/1 (+fact-check checklists for newsrooms)"
_CHUNK = 64 * 1024


class FetchError(Exception):
    """The address could not be fetched; the message says why, for a person to read."""


class FetchRefused(FetchError):
    """The address may not be fetched at all (scheme, private address, credentials)."""


class FetchTooLarge(FetchError):
    pass


class FetchTimedOut(FetchError):
    pass


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int
    content: bytes
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def fetch_url(url: str, *, etag: str = "", modified: str = "") -> Fetched:
    """GET ``url``; with ``etag``/``modified`` it is a conditional GET and may return a 304 (``not_modified``).

    At most ``FETCH_MAX_BYTES`` within ``FETCH_TIMEOUT_SECONDS`` for the whole download, redirects included.
    """
    max_bytes = settings.FETCH_MAX_BYTES
    timeout = settings.FETCH_TIMEOUT_SECONDS
    deadline = time.monotonic() + timeout
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html, application/xhtml+xml, application/rss+xml, "
               "application/atom+xml, application/xml;q=0.9, application/json;q=0.9, text/*;q=0.8, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    with outbound_session() as session:
        for _hop in range(MAX_REDIRECTS + 1):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FetchTimedOut(f"{url} took longer than {timeout:g} seconds")
            try:
                # Checks this hop's address (scheme, credentials, private or local) before connecting.
                response = session.get(url, headers=headers, stream=True, allow_redirects=False, timeout=remaining)
            except UnsafeURL as error:
                raise FetchRefused(f"refused to fetch {url}: {error}") from None
            except requests.Timeout:
                raise FetchTimedOut(f"{url} did not answer within {timeout:g} seconds") from None
            except requests.RequestException as error:
                raise FetchError(f"{url} could not be fetched: {_reason(error)}") from None
            with response:
                if response.is_redirect:
                    location = response.headers.get("Location")
                    if not location:
                        raise FetchError(f"{url} redirects without saying where")
                    url = urljoin(url, location)
                    continue
                if response.status_code == 304:
                    return Fetched(url=url, status=304, content=b"", etag=etag, last_modified=modified)
                if response.status_code >= 400:
                    raise FetchError(f"{url} answered {response.status_code} {response.reason or ''}".rstrip())
                content = _read_limited(response, url=url, max_bytes=max_bytes, deadline=deadline, timeout=timeout)
                return Fetched(
                    url=url,
                    status=response.status_code,
                    content=content,
                    content_type=response.headers.get("Content-Type", ""),
                    etag=response.headers.get("ETag", ""),
                    last_modified=response.headers.get("Last-Modified", ""),
                )
    raise FetchError(f"more than {MAX_REDIRECTS} redirects, the last to {url}")


def _read_limited(response, *, url: str, max_bytes: int, deadline: float, timeout: float) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchTooLarge(f"{url} is {int(declared):,} bytes; the limit is {max_bytes:,} bytes")
    chunks, size = [], 0
    try:
        for chunk in _chunks(response):
            size += len(chunk)
            if size > max_bytes:
                raise FetchTooLarge(f"{url} is larger than the limit of {max_bytes:,} bytes")
            if time.monotonic() > deadline:
                raise FetchTimedOut(f"{url} took longer than {timeout:g} seconds to download")
            chunks.append(chunk)
    except requests.Timeout:
        raise FetchTimedOut(f"{url} did not finish within {timeout:g} seconds") from None
    except requests.RequestException as error:
        raise FetchError(f"{url} could not be read: {_reason(error)}") from None
    return b"".join(chunks)


def _chunks(response):
    """What the socket has, as it arrives: a server trickling bytes cannot hold a read past the deadline."""
    raw = response.raw
    while True:
        try:
            chunk = raw.read1(_CHUNK, decode_content=True)
        except (urllib3.exceptions.ReadTimeoutError, TimeoutError):
            raise requests.Timeout() from None
        except urllib3.exceptions.HTTPError as error:
            raise requests.ConnectionError(str(error)) from None
        if not chunk:
            return
        yield chunk


def _reason(error: Exception) -> str:
    text = str(error)
    if isinstance(error, requests.ConnectionError):
        return "the connection failed" + (f" ({text[:200]})" if text else "")
    return text[:300] or type(error).__name__
