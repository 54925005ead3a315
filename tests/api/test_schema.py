"""The OpenAPI schema is valid and served only to callers who authenticate; every request it
allows gets an answer it documents (a declared status code, a body of the declared shape),
and none makes the server fail."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from articles.models import WebhookSubscription
from articles.outbound import UnsafeURL
from factcheck.wsgi import application
from tests.factories import ArticleFactory, ChecklistItemFactory, NoteFactory


def test_the_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))

    schema = (tmp_path / "schema.yml").read_text()
    assert "/api/v1/articles/{id}/readiness/" in schema
    assert "/api/v1/webhooks/{id}/rotate-secret/" in schema


def test_the_schema_says_which_fields_can_be_empty_or_null(api):
    components = api("reporter").get("/api/v1/schema/?format=json").json()["components"]["schemas"]

    # An article without a known address, and a source pasted or uploaded, have "" as their
    # url: text, not a URI.
    assert "format" not in components["Article"]["properties"]["url"]
    assert "format" not in components["Source"]["properties"]["url"]
    assert components["ArticleDetail"]["properties"]["editor"]["nullable"] is True
    assert components["Article"]["properties"]["checklist_due_at"]["nullable"] is True
    for component, field in [("Item", "assignee"), ("Item", "due_at"), ("Item", "value"),
                             ("BlockingItem", "assignee"), ("Note", "author")]:
        assert components[component]["properties"][field]["nullable"] is True, (component, field)
    # Optional request fields take null as "not given".
    for component, field in [("PatchedItemUpdateRequest", "note"), ("NoteAddRequest", "source"),
                             ("WebhookSubscribeRequest", "description"), ("ArticleUpsertRequest", "title")]:
        assert components[component]["properties"][field]["nullable"] is True, (component, field)
    # The secret appears only in the answers to creating a subscription and rotating its secret.
    assert "secret" not in components["WebhookSubscription"]["properties"]
    assert "secret" in components["WebhookSubscriptionWithSecret"]["properties"]


def test_the_schema_and_docs_are_served_to_callers_who_authenticate(client, api, cast):
    assert api("reporter").get("/api/v1/schema/").status_code == 200
    client.force_login(cast.reporter)
    assert client.get("/api/v1/schema/").status_code == 200
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content


def test_anonymous_callers_get_neither_the_schema_nor_the_docs(client, db):
    assert client.get("/api/v1/schema/").status_code == 401

    docs = client.get("/api/v1/docs/")

    assert docs.status_code == 302
    assert docs["Location"].startswith("/accounts/login/?next=/api/v1/docs/")


@pytest.fixture
def editor_token(cast):
    return Token.objects.create(user=cast.editor).key


@pytest.fixture
def known_ids(cast):
    """Existing resources, so that generated requests reach real ones and not only 404s."""
    item = ChecklistItemFactory(article=ArticleFactory(checklist_status="ready"))
    monday = item.article.body.index("Monday")
    other = ChecklistItemFactory(article=item.article, kind="date", start=monday, end=monday + len("Monday"))
    NoteFactory(item=item)
    subscription = WebhookSubscription.objects.create(
        url="https://hooks.example.org/fact-check", events=["item.updated"], created_by=cast.editor
    )
    return {
        "/api/v1/articles/{id}": [item.article_id],
        "/api/v1/items/{id}": [item.pk, other.pk],
        "/api/v1/webhooks/{id}": [subscription.pk],
    }


@pytest.fixture
def no_outbound_lookups(monkeypatch):
    """Every webhook address is refused, so no request leaves the machine (no DNS look-up)."""

    def refuse(url, **kwargs):
        raise UnsafeURL("no outbound requests in this test")

    monkeypatch.setattr("articles.services.webhooks.check_outbound_url", refuse)


@pytest.fixture
def api_schema(db, settings, editor_token):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    # As Django's test client does: keep the test's connection (and its transaction) open
    # across the requests schemathesis sends straight to the WSGI application.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", application, headers={"Authorization": f"Token {editor_token}"}
    )
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_every_request_the_schema_allows_gets_a_documented_answer_and_none_fails(
    api_schema, editor_token, known_ids, no_outbound_lookups
):
    headers = {"Authorization": f"Token {editor_token}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 19
    assert any(operation.path == "/api/v1/webhooks/{id}/rotate-secret/" for operation in operations)
    # Deletions last, so that the other operations find the resources they are given.
    operations.sort(key=lambda operation: operation.method.upper() == "DELETE")

    for operation in operations:
        ids = next((ids for prefix, ids in known_ids.items() if operation.path.startswith(prefix)), [])
        cache.clear()  # a fresh request budget for each operation: the throttle is not under test

        @given(data=st.data())
        @settings(max_examples=50, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def documented_answer(data):
            known = data.draw(st.sampled_from([*ids, None]), label="existing id") if ids else None
            fixed = {"path_parameters": {"id": known}} if known is not None else {}
            mode = data.draw(st.sampled_from([GenerationMode.POSITIVE, GenerationMode.NEGATIVE]), label="mode")
            case = data.draw(operation.as_strategy(mode, **fixed))
            case.call_and_validate(headers=headers, checks=CHECKS)

        documented_answer()
