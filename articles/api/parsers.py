from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request is too large."
    default_code = "too_large"


class SizeLimitedJSONParser(JSONParser):
    """Refuses a request body over the limit before reading it into memory, and NUL characters in it."""

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
        data = super().parse(stream, media_type, parser_context)
        if _holds_nul(data):
            # No text field can store it; refuse the request rather than let the database fail.
            raise ParseError("The request holds a NUL character (\\u0000); no field accepts one.")
        return data


def _holds_nul(data) -> bool:
    if isinstance(data, str):
        return "\x00" in data
    if isinstance(data, dict):
        return any(_holds_nul(key) or _holds_nul(value) for key, value in data.items())
    if isinstance(data, list):
        return any(_holds_nul(value) for value in data)
    return False
