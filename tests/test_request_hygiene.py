"""Hostile input is refused at the door with a 4xx that says why, never a server error:
control characters in the address, query string, headers and page forms, bodies of unknown
length, bodies over the limit. (The same under gunicorn: tests/test_gunicorn_limits.py.)"""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from articles.models import Note
from tests.factories import ArticleFactory, ChecklistItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(cast):
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=cast.editor).key}"}


@pytest.fixture
def item(db):
    return ChecklistItemFactory(article=ArticleFactory(checklist_status="ready"))


# --- the address and the query string ----------------------------------------------------------


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x1b", "\x7f"])
def test_a_control_character_in_an_api_query_string_is_a_400_in_the_apis_error_shape(client, token, character):
    response = client.get("/api/v1/articles/", {"source": f"cms{character}"}, **token)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "query string holds the control character U+00" in response.json()["detail"]


def test_a_percent_encoded_nul_in_a_filter_is_refused_before_any_query(client, token, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/api/v1/articles/?source=cms%00", **token)

    assert response.status_code == 400
    assert "U+0000 (NUL)" in response.json()["detail"]


def test_tabs_and_line_breaks_in_a_query_string_are_fine(client, token):
    assert client.get("/api/v1/articles/", {"source": "a\tb\r\nc"}, **token).status_code == 200


def test_a_control_character_in_an_api_path_is_a_400(client, token, item):
    response = client.get(f"/api/v1/items/{item.pk}%00/", **token)

    assert response.status_code == 400
    assert "address holds the control character U+0000 (NUL)" in response.json()["detail"]


def test_a_control_character_in_a_page_query_is_a_plain_400(client, cast):
    client.force_login(cast.editor)

    response = client.get("/", {"q": "budget\x00"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "control character U+0000 (NUL)" in response.content.decode()


# --- headers and cookies --------------------------------------------------------------------


def test_a_token_holding_a_nul_is_a_400_not_a_server_error(client):
    response = client.get("/api/v1/articles/", HTTP_AUTHORIZATION="Token abc\x00def")

    assert response.status_code == 400
    assert "Authorization header holds the control character U+0000 (NUL)" in response.json()["detail"]


def test_a_header_holding_a_control_character_is_a_400(client):
    response = client.get("/accounts/login/", HTTP_USER_AGENT="curl\x01")

    assert response.status_code == 400
    assert "User-Agent header" in response.content.decode()


def test_a_session_cookie_holding_a_nul_is_ignored_and_the_browser_asked_to_sign_in(client, cast):
    client.cookies["sessionid"] = "\x00" + "a" * 31  # sent quoted, as "\000aaa…"

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- bodies of unknown length, bodies over the limit --------------------------------------


def test_a_chunked_body_without_a_length_is_a_411_in_the_apis_error_shape(client, token):
    # What a WSGI server passes on for "Transfer-Encoding: chunked": no CONTENT_LENGTH at all.
    response = client.generic(
        "POST", "/api/v1/articles/", b"", content_type="application/json", HTTP_TRANSFER_ENCODING="chunked", **token
    )

    assert response.status_code == 411
    assert "Content-Length" in response.json()["detail"]


def test_a_request_over_the_limit_is_a_413_before_authentication_and_the_database(
    client, settings, django_assert_num_queries
):
    settings.API_MAX_REQUEST_BYTES = 1_000

    with django_assert_num_queries(0):
        response = client.post("/api/v1/articles/", "x" * 5_000, content_type="application/json")

    assert response.status_code == 413
    assert response.json() == {"detail": "The request is 5,000 bytes; the limit is 1,000 bytes."}


def test_the_api_limit_does_not_apply_to_the_pages(client, cast, item, settings):
    settings.API_MAX_REQUEST_BYTES = 1_000
    client.force_login(cast.editor)

    response = client.post(reverse("newsroom:item_note", args=[item.pk]), {"body": "Called the clerk. " * 100})

    assert response.status_code == 302
    assert Note.objects.filter(item=item).exists()


# --- page forms ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [("body", "Called the clerk\x00."), ("body", "Called\x08 the clerk."), ("source", "minutes\x1b[31m")],
)
def test_a_note_form_holding_a_control_character_is_refused_saying_so(client, cast, item, field, value):
    client.force_login(cast.editor)
    data = {"body": "Called the clerk.", "source": "minutes", field: value}

    response = client.post(reverse("newsroom:item_note", args=[item.pk]), data)

    assert response.status_code == 400
    assert "control character" in response.content.decode() or "Null characters" in response.content.decode()
    assert not Note.objects.exists()


def test_a_note_form_may_hold_tabs_and_line_breaks(client, cast, item):
    client.force_login(cast.editor)

    client.post(reverse("newsroom:item_note", args=[item.pk]), {"body": "Called\tthe clerk.\r\nShe agreed."})

    assert Note.objects.get().body == "Called\tthe clerk.\r\nShe agreed."


def test_an_assignment_form_holding_a_control_character_is_refused(client, cast, item):
    client.force_login(cast.editor)

    response = client.post(
        reverse("newsroom:item_assign", args=[item.pk]), {"assignee": "me\x07", "version": item.version}
    )

    assert response.status_code == 400
    assert "control character U+0007" in response.content.decode()
    item.refresh_from_db()
    assert item.assignee is None


def test_a_verdict_whose_source_holds_a_control_character_is_refused(client, cast, item):
    client.force_login(cast.editor)

    response = client.post(
        reverse("newsroom:item_state", args=[item.pk]),
        {"state": "incorrect", "note": "Budget was $4.2m.", "source": "min\x0cutes", "version": item.version},
    )

    assert response.status_code == 400
    item.refresh_from_db()
    assert item.state == "open"


# --- a transaction the database cancels for a concurrent one ------------------------------


def cancelled_by_the_database(code: str):
    """The error Django raises when PostgreSQL cancels a transaction with ``code``."""
    from django.db import OperationalError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("error codes of PostgreSQL")
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DO $$ BEGIN RAISE EXCEPTION 'cancelled' USING ERRCODE = '{code}'; END $$")
    except OperationalError as error:
        return error
    raise AssertionError("the database raised nothing")


@pytest.mark.parametrize("code", ["40P01", "40001"])  # deadlock detected, serialization failure
def test_a_request_the_database_cancels_for_a_concurrent_one_gets_409_try_again(db, rf, code):
    """Nothing was saved: the client is told to send it again, from the API and from a page."""
    from articles.api.exceptions import api_exception_handler
    from factcheck.middleware import ConcurrentChangeMiddleware

    cancelled = cancelled_by_the_database(code)
    from_the_api = api_exception_handler(cancelled, {})
    from_a_page = ConcurrentChangeMiddleware(lambda request: None).process_exception(rf.post("/articles/1/"), cancelled)

    assert from_the_api.status_code == from_a_page.status_code == 409
    assert "Try again" in from_the_api.data["detail"]
    assert b"Try again" in from_a_page.content


def test_other_database_errors_are_not_taken_for_a_concurrent_change(db, rf):
    from factcheck.middleware import ConcurrentChangeMiddleware

    other = cancelled_by_the_database("57014")  # query cancelled (a statement timeout)
    assert ConcurrentChangeMiddleware(lambda request: None).process_exception(rf.post("/articles/1/"), other) is None
