"""The OpenAPI schema is valid, and no request it allows makes the server fail."""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from factcheck.wsgi import application
from tests.factories import ArticleFactory, ChecklistItemFactory, NoteFactory


def test_the_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))

    assert "/api/v1/articles/{id}/readiness/" in (tmp_path / "schema.yml").read_text()


def test_the_schema_and_docs_are_served(client):
    assert client.get("/api/v1/schema/").status_code == 200
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content


@pytest.fixture
def api_schema(db, settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    # As Django's test client does: keep the test's connection (and its transaction) open
    # across the requests schemathesis sends straight to the WSGI application.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def editor_token(cast):
    item = ChecklistItemFactory(article=ArticleFactory(checklist_status="ready"))
    NoteFactory(item=item)
    return Token.objects.create(user=cast.editor).key


def test_no_request_the_schema_allows_makes_the_server_fail(api_schema, editor_token):
    headers = {"Authorization": f"Token {editor_token}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def never_a_server_error(case):
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        never_a_server_error()
