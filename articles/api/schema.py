"""The OpenAPI schema documents the errors every operation can answer with, in the API's error shape."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ProblemSerializer(serializers.Serializer):
    """What every error answers: ``detail`` says what is wrong. A request whose fields are
    refused names each such field instead, with a list of messages (``{"body": ["..."]}``)."""

    detail = serializers.CharField(required=False, help_text="What is wrong, for the person who sent the request.")


def problem(description: str) -> OpenApiResponse:
    return OpenApiResponse(ProblemSerializer, description=description)


# Any operation: a control character in the address or query string is refused at the door,
# as are callers without credentials or role, and callers over their request rate.
EVERY_OPERATION = {
    "400": problem("The request is refused: a field's value, a filter, a control character in the query string."),
    "401": problem("No credentials, or wrong ones: send `Authorization: Token <key>` (or sign in)."),
    "403": problem("Your role does not allow this."),
    "429": problem("Too many requests; wait as `Retry-After` says."),
}
ON_ONE_RESOURCE = {"404": problem("No such resource, or not one you can see.")}
PAGINATED = {"404": problem("No such page: `page` is past the last page, or not a page number.")}
WITH_A_BODY = {
    "411": problem("The body was sent without a Content-Length (chunked); send its length."),
    "413": problem("The request body is over the limit."),
    "415": problem("The body is not JSON: send `Content-Type: application/json`."),
}


class ApiSchema(AutoSchema):
    """Adds to each operation's own responses the errors it can answer with, so that a client
    (or a schema-driven test) knows every status code it may receive."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = {**EVERY_OPERATION}
        if "{id}" in self.path:
            errors.update(ON_ONE_RESOURCE)
        elif self.method == "GET" and self._is_list_view() and self._get_paginator():
            errors.update(PAGINATED)
        if self.method in ("POST", "PUT", "PATCH"):
            errors.update(WITH_A_BODY)
        for code, response in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses
