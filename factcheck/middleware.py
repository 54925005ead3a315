"""Request hygiene at the door, before any view reads the request.

- A control character (U+0000 to U+001F except tab, line feed and carriage return, and
  U+007F) in the path, the query string or a header: 400. No address of this service holds
  one, HTTP allows none in a header, and PostgreSQL cannot store a NUL. A cookie holding one
  is ignored, as if not sent.
- A POST, PUT or PATCH whose body has no announced length (``Transfer-Encoding: chunked``
  and no ``Content-Length``): 411. The WSGI server would hand the application an empty body.
- On the API, a ``Content-Length`` over ``settings.API_MAX_REQUEST_BYTES``: 413.

The body of a refused request is read and thrown away first (up to ``DRAIN_MAX_BYTES``), so
that a client still sending it receives the answer instead of a connection reset.

A page whose transaction the database cancelled for a concurrent one (a deadlock or a
serialization failure: nothing was saved) answers 409 "try again" instead of a server
error (``ConcurrentChangeMiddleware``; the API's own exception handler does the same).

API paths get the API's error shape (``{"detail": ...}`` as JSON); other pages plain text.
"""

from __future__ import annotations

import re

from urllib.parse import unquote

from django.conf import settings
from django.http import HttpResponse, JsonResponse

from articles.services.errors import CONCURRENT_CHANGE_MESSAGE, lost_to_a_concurrent_change
from articles.validators import CONTROL_CHARACTERS_RULE, control_character_in


API_PREFIX = "/api/"
METHODS_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})
# A refused body is read and discarded up to this size before the answer is sent; beyond it
# the answer goes at once and the connection is closed (the client may see a reset).
DRAIN_MAX_BYTES = 64 * 1024 * 1024
DRAIN_CHUNK_BYTES = 64 * 1024


class RequestHygieneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        forget_unreadable_cookies(request)
        refusal = control_characters_refusal(request) or body_length_refusal(request)
        if refusal is None:
            return self.get_response(request)
        drain(request)
        return refusal


class ConcurrentChangeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if lost_to_a_concurrent_change(exception):
            return refuse(request, 409, CONCURRENT_CHANGE_MESSAGE)
        return None


def forget_unreadable_cookies(request) -> None:
    """A cookie holding a control character (a quoted cookie can spell NUL as ``\\000``) was
    not set by this service: it is ignored, as if not sent, so that a browser carrying one is
    asked to sign in again instead of being refused."""
    cookies = request.COOKIES
    if any(control_character_in(name) or control_character_in(value) for name, value in cookies.items()):
        request.COOKIES = {
            name: value
            for name, value in cookies.items()
            if not (control_character_in(name) or control_character_in(value))
        }


def control_characters_refusal(request) -> HttpResponse | None:
    """400 for a control character in the address, the query string or a header, in that order."""
    character = control_character_in(request.path_info)
    if character:
        return refuse(request, 400, f"The address holds the control character {character}; no address does.")
    query = unquote(request.META.get("QUERY_STRING", "").replace("+", " "), errors="replace")
    character = control_character_in(query)
    if character:
        return refuse(
            request, 400, f"The query string holds the control character {character}; {CONTROL_CHARACTERS_RULE}."
        )
    for key, value in request.META.items():
        if (key.startswith("HTTP_") or key == "CONTENT_TYPE") and isinstance(value, str):
            character = control_character_in(value)
            if character:
                header = key.removeprefix("HTTP_").replace("_", "-").title()
                return refuse(request, 400, f"The {header} header holds the control character {character}.")
    return None


def body_length_refusal(request) -> HttpResponse | None:
    """411 for a body of unknown length; on the API, 413 for one over the limit."""
    if not request.META.get("CONTENT_LENGTH"):
        if request.method in METHODS_WITH_BODY and is_chunked(request):
            return refuse(
                request, 411, "Send the request body with a Content-Length header; chunked bodies are not accepted."
            )
        return None
    length = declared_length(request)
    if length is None:
        return refuse(request, 400, "The Content-Length header is not a number of bytes.")
    limit = settings.API_MAX_REQUEST_BYTES
    if SOURCE_UPLOAD.match(request.path_info):  # a source file: its own, larger limit
        limit = max(limit, settings.SOURCE_MAX_BYTES + 256 * 1024)
    if is_api(request) and length > limit:
        return refuse(request, 413, f"The request is {length:,} bytes; the limit is {limit:,} bytes.")
    return None


# Where source files are uploaded (the API's article sources).
SOURCE_UPLOAD = re.compile(r"^/api/v1/articles/\d+/sources/$")


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def is_chunked(request) -> bool:
    codings = request.META.get("HTTP_TRANSFER_ENCODING", "")
    return "chunked" in [coding.strip().lower() for coding in codings.split(",")]


def declared_length(request) -> int | None:
    """The Content-Length of the request (0 without one), or None when it is not a number of bytes."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    return length if length >= 0 else None


def drain(request) -> None:
    """Read and discard the body of a refused request, so that a client still sending it can
    finish and read the answer instead of meeting a reset connection."""
    length = declared_length(request)
    if not length or length > DRAIN_MAX_BYTES:
        return
    remaining = length
    while remaining > 0:
        chunk = request.read(min(DRAIN_CHUNK_BYTES, remaining))
        if not chunk:
            return
        remaining -= len(chunk)


def refuse(request, status: int, detail: str) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"detail": detail}, status=status)
    return HttpResponse(detail, status=status, content_type="text/plain; charset=utf-8")
