from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request is too large."
    default_code = "too_large"


class SizeLimitedJSONParser(JSONParser):
    """Refuses a request body over the limit before reading it into memory, JSON nested too deeply and NUL characters."""

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
    """Why the parsed JSON cannot be accepted (too deep, or a NUL character), walking it without recursion."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return f"The JSON is nested too deeply; at most {MAX_JSON_DEPTH} levels are accepted."
        if isinstance(value, str):
            if "\x00" in value:
                # No text field can store it; refuse the request rather than let the database fail.
                return "The request holds a NUL character (\\u0000); no field accepts one."
        elif isinstance(value, dict):
            stack.extend((key, depth + 1) for key in value)
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
    return None
