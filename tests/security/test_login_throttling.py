"""Sign-in throttling: after too many failures for one user name from one address, that pair is
refused, even with the right password, on the newsroom login and the admin login alike."""

import logging
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOGIN_PAGES = {"newsroom": "/accounts/login/", "admin": "/admin/login/"}


@pytest.fixture
def chief():
    return UserFactory(username="chief", is_staff=True, is_superuser=True)


def sign_in(client: Client, page: str, username: str, password: str):
    return client.post(LOGIN_PAGES[page], {"username": username, "password": password})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_after_thirty_wrong_passwords_even_the_right_one_is_refused(page, chief, caplog):
    client = Client()
    for _ in range(30):
        sign_in(client, page, "chief", "wrong password")

    with caplog.at_level(logging.INFO):
        response = sign_in(client, page, "chief", PASSWORD)

    assert response.status_code == 429
    assert "Sign-in paused" in response.content.decode()
    assert "even with the right password" in response.content.decode()
    assert "Try again in 15 minutes" in response.content.decode()
    assert not signed_in(client)


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_the_limit_is_the_configured_number_of_failures(page, chief, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    client = Client()
    for attempt in range(1, 5):
        response = sign_in(client, page, "chief", "wrong password")
        assert response.status_code == 200, f"failure {attempt} only shows the form again"

    assert sign_in(client, page, "chief", "wrong password").status_code == 429, "the fifth failure locks"
    assert sign_in(client, page, "chief", PASSWORD).status_code == 429


def test_the_lockout_is_logged(chief, caplog):
    client = Client()
    with caplog.at_level(logging.WARNING, logger="axes"):
        for _ in range(5):
            sign_in(client, "newsroom", "chief", "wrong password")

    lockouts = [record for record in caplog.records if "Locking out" in record.getMessage()]
    assert len(lockouts) == 1
    assert "chief" in lockouts[0].getMessage() and "127.0.0.1" in lockouts[0].getMessage()


def test_a_lockout_on_one_page_holds_on_the_other(chief):
    client = Client()
    for _ in range(5):
        sign_in(client, "admin", "chief", "wrong password")

    assert sign_in(client, "newsroom", "chief", PASSWORD).status_code == 429


def test_another_user_name_and_another_address_are_not_locked(chief):
    UserFactory(username="edna")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(30):
        sign_in(attacker, "newsroom", "chief", "wrong password")

    same_address_other_user = Client(REMOTE_ADDR="203.0.113.9")
    other_address_same_user = Client(REMOTE_ADDR="198.51.100.20")
    response = sign_in(same_address_other_user, "newsroom", "edna", PASSWORD)
    assert response.status_code == 302 and signed_in(same_address_other_user)
    response = sign_in(other_address_same_user, "admin", "chief", PASSWORD)
    assert response.status_code == 302 and signed_in(other_address_same_user)


def test_a_success_before_the_limit_clears_the_failures(chief):
    client = Client()
    for _ in range(4):
        sign_in(client, "newsroom", "chief", "wrong password")
    assert sign_in(client, "newsroom", "chief", PASSWORD).status_code == 302

    other = Client()
    for _ in range(4):
        sign_in(other, "newsroom", "chief", "wrong password")
    assert sign_in(other, "newsroom", "chief", PASSWORD).status_code == 302, "four new failures do not lock"


def test_the_lockout_ends_after_the_cool_off(chief, settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=1)
    client = Client()
    for _ in range(5):
        sign_in(client, "newsroom", "chief", "wrong password")
    assert sign_in(client, "newsroom", "chief", PASSWORD).status_code == 429

    time.sleep(1.5)

    assert sign_in(client, "newsroom", "chief", PASSWORD).status_code == 302


def test_an_administrator_unlocks_in_the_admin_by_deleting_the_access_attempt(chief):
    UserFactory(username="carl")
    locked = Client()
    for _ in range(30):
        sign_in(locked, "newsroom", "carl", "wrong password")
    admin = Client(REMOTE_ADDR="198.51.100.1")
    assert sign_in(admin, "admin", "chief", PASSWORD).status_code == 302

    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and "carl" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="carl")
    response = admin.post(
        "/admin/axes/accessattempt/", {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"}
    )

    assert response.status_code == 302
    assert sign_in(locked, "newsroom", "carl", PASSWORD).status_code == 302
    assert signed_in(locked)


def test_an_administrator_unlocks_from_the_command_line():
    UserFactory(username="carl")
    client = Client()
    for _ in range(5):
        sign_in(client, "newsroom", "carl", "wrong password")
    assert sign_in(client, "newsroom", "carl", PASSWORD).status_code == 429

    call_command("axes_reset_username", "carl")

    assert sign_in(client, "newsroom", "carl", PASSWORD).status_code == 302


def test_api_tokens_work_for_a_user_whose_sign_in_is_locked(cast):
    client = Client()
    for _ in range(30):
        sign_in(client, "newsroom", cast.cms.username, "wrong password")
    token = Token.objects.create(user=cast.cms)

    response = Client().get("/api/v1/articles/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 200
    assert Client().get("/api/v1/articles/", HTTP_AUTHORIZATION="Token wrong").status_code == 401


def test_behind_no_configured_proxy_a_forwarded_address_is_ignored(chief):
    # Each attempt claims another client address; none of them is believed.
    for number in range(5):
        sign_in(Client(HTTP_X_FORWARDED_FOR=f"198.51.100.{number}"), "newsroom", "chief", "wrong password")

    assert sign_in(Client(HTTP_X_FORWARDED_FOR="198.51.100.77"), "newsroom", "chief", PASSWORD).status_code == 429


def test_behind_a_configured_proxy_the_address_it_saw_is_the_clients(chief, settings):
    settings.TRUSTED_PROXIES = 1
    # The proxy appends the address it saw; what the client wrote before it is not trusted.
    for _ in range(5):
        sign_in(Client(HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5"), "newsroom", "chief", "wrong password")

    assert sign_in(Client(HTTP_X_FORWARDED_FOR="203.0.113.5"), "newsroom", "chief", PASSWORD).status_code == 429
    other = Client(HTTP_X_FORWARDED_FOR="203.0.113.5, 203.0.113.6")
    assert sign_in(other, "newsroom", "chief", PASSWORD).status_code == 302
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"


def test_throttling_works_while_redis_is_down(chief, settings):
    # The cache (Redis in production) is unreachable: failures are counted in the database anyway.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    client = Client()
    for _ in range(5):
        sign_in(client, "admin", "chief", "wrong password")

    assert sign_in(client, "admin", "chief", PASSWORD).status_code == 429
    assert AccessAttempt.objects.get(username="chief").failures_since_start == 5
