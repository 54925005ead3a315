from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

from ..validators import CONTROL_CHARACTERS_RULE, control_character_in


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request is too large."
    default_code = "too_large"


class SizeLimitedJSONParser(JSONParser):
    """Refuses a request body over the limit before reading it into memory, JSON nested too
    deeply, and control characters other than tab, line feed and carriage return in any
    string (NUL included: no text field can store it)."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        except ValueError:
            length = 0
        if length > settings.API_MAX_REQUEST_BYTES:
            raise PayloadTooLarge(
                f"The request is {length:,} bytes; the limit is {settings.API_MAX_REQUEST_BYTES:,} bytes."
            )
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"The JSON is nested too deeply; at most {MAX_JSON_DEPTH} levels are accepted.") from None
        problem = _problem_in(data)
        if problem:
            raise ParseError(problem)
        return data


# No request of this API needs more than a few levels; deeper JSON is refused before use.
MAX_JSON_DEPTH = 32


def _problem_in(data) -> str | None:
    """Why the parsed JSON cannot be accepted (too deep, or a control character, saying
    where), walking it without recursion."""
    stack = [(data, 1, (), False)]
    while stack:
        value, depth, path, is_name = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return f"The JSON is nested too deeply; at most {MAX_JSON_DEPTH} levels are accepted."
        if isinstance(value, str):
            character = control_character_in(value)
            if character:
                return f"{_where(path, is_name)} holds the control character {character}; {CONTROL_CHARACTERS_RULE}."
        elif isinstance(value, dict):
            for key, item in value.items():
                stack.append((key, depth + 1, path, True))
                stack.append((item, depth + 1, (*path, key), False))
        elif isinstance(value, list):
            stack.extend((item, depth + 1, (*path, index), False) for index, item in enumerate(value))
    return None


def _where(path: tuple, is_name: bool) -> str:
    """``items[2]``, ``value.source``: the place in the request body, as the client wrote it."""
    place = "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" if position else str(part)
        for position, part in enumerate(path)
    )
    if is_name:
        return f"A field name in {place!r}" if place else "A field name"
    return f"The field {place!r}" if place else "The request body"
