"""The fetch limits and the feed poll interval come from the environment and are validated at start-up."""

import os
import subprocess
import sys

import pytest

from tests.imports.conftest import FIXTURES

REPO = FIXTURES.parent.parent.parent
PRINT = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.FETCH_MAX_BYTES, s.FETCH_TIMEOUT_SECONDS, s.FEED_POLL_SECONDS, s.CELERY_BEAT_SCHEDULE['poll-feeds']['schedule'])"
)


def start(**environment) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "FACTCHECK_"))}
    return subprocess.run(
        [sys.executable, "-c", PRINT], cwd=REPO, capture_output=True, text=True, timeout=60,
        env={**env, **environment, "DJANGO_SECRET_KEY": "x" * 50, "DJANGO_SETTINGS_MODULE": "factcheck.settings"},
    )


def test_defaults():
    assert start().stdout.split() == ["10000000", "20", "300", "300.0"]


def test_values_from_the_environment():
    result = start(FACTCHECK_FETCH_MAX_BYTES="2000000", FACTCHECK_FETCH_TIMEOUT="5", FACTCHECK_FEED_POLL_SECONDS="900")

    assert result.stdout.split() == ["2000000", "5", "900", "900.0"]


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("FACTCHECK_FETCH_TIMEOUT", "soon", "FACTCHECK_FETCH_TIMEOUT='soon' is not a whole number"),
        ("FACTCHECK_FETCH_TIMEOUT", "0", "FACTCHECK_FETCH_TIMEOUT='0' must be at least 1"),
        ("FACTCHECK_FETCH_MAX_BYTES", "10", "FACTCHECK_FETCH_MAX_BYTES='10' must be at least 1024"),
        ("FACTCHECK_FEED_POLL_SECONDS", "5", "FACTCHECK_FEED_POLL_SECONDS='5' must be at least 30"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(variable, value, message):
    result = start(**{variable: value})

    assert result.returncode != 0
    assert message in result.stderr
