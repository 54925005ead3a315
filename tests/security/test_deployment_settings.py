"""The production configuration is secure by default: `check --deploy` finds nothing to report,
https is enforced (redirect, HSTS, secure cookies) and every default can be changed from the
environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

REPO = Path(__file__).resolve().parents[2]


def production_environment(**overrides) -> dict:
    """The environment of a production start: no DJANGO_*, DATABASE_* or REDIS_* left from this shell."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="news.example.org",
        REDIS_URL="redis://127.0.0.1:6379/12",
    )
    env.update(overrides)
    return env


def run(*args: str, **overrides) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=REPO, env=production_environment(**overrides), capture_output=True, text=True,
        timeout=120,
    )


def settings_in_production(*names: str, **overrides) -> list[str]:
    code = "import django; django.setup(); from django.conf import settings; " + "; ".join(
        f"print(repr(settings.{name}))" for name in names
    )
    result = run("-c", code, **overrides)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_check_deploy_reports_no_issue_in_the_production_configuration():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_check_deploy_says_what_is_missing_when_https_is_turned_off():
    result = run("manage.py", "check", "--deploy", DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_HSTS_SECONDS="0")

    assert "security.W008" in result.stderr and "security.W004" in result.stderr


def test_production_defaults_enforce_https():
    assert settings_in_production(
        "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER", "SECURE_REFERRER_POLICY",
    ) == ["False", "True", "31536000", "True", "False", "True", "True", "None", "'same-origin'"]


def test_debug_mode_sends_no_hsts_and_does_not_redirect():
    assert settings_in_production(
        "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", DJANGO_DEBUG="1"
    ) == ["False", "0", "False"]


def test_every_https_setting_comes_from_the_environment():
    assert settings_in_production(
        "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER", "SILENCED_SYSTEM_CHECKS",
        DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_HSTS_SECONDS="600", DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="0",
        DJANGO_SECURE_HSTS_PRELOAD="1", DJANGO_SECURE_COOKIES="0", DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
    ) == ["False", "600", "False", "True", "False", "('HTTP_X_FORWARDED_PROTO', 'https')", "[]"]


def test_sign_in_throttling_comes_from_the_environment():
    assert settings_in_production(
        "AXES_FAILURE_LIMIT", "AXES_COOLOFF_TIME", FACTCHECK_LOGIN_FAILURE_LIMIT="3", FACTCHECK_LOGIN_COOLOFF_MINUTES="2"
    ) == ["3", "datetime.timedelta(seconds=120)"]
    assert settings_in_production("AXES_FAILURE_LIMIT", "AXES_COOLOFF_TIME", "AXES_HANDLER") == [
        "5", "datetime.timedelta(seconds=900)", "'axes.handlers.database.AxesDatabaseHandler'"
    ]


# --- what a browser gets ---------------------------------------------------------------------------


@pytest.fixture
def https_on(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = ["news.example.org"]


def test_plain_http_is_redirected_to_https(https_on):
    response = Client().get("/accounts/login/", HTTP_HOST="news.example.org")

    assert response.status_code == 301
    assert response["Location"] == "https://news.example.org/accounts/login/"


def test_https_through_the_proxy_gets_hsts_and_the_referrer_policy(https_on):
    response = Client().get("/accounts/login/", HTTP_HOST="news.example.org", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_a_forwarded_proto_header_is_not_believed_unless_configured(https_on, settings):
    settings.SECURE_PROXY_SSL_HEADER = None

    response = Client().get("/accounts/login/", HTTP_HOST="news.example.org", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 301
