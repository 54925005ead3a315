"""Production never runs extraction inside web requests by accident."""

import os
import subprocess
import sys

from tests.conftest import REPO

PRODUCTION = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x" * 40}


def start_web_application(**environment) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "FACTCHECK_"))
    }
    return subprocess.run(
        [sys.executable, "-c", "import factcheck.wsgi"],
        cwd=REPO,
        env={**env, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "factcheck.settings", **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_redis_the_web_application_refuses_to_start():
    result = start_web_application()

    assert result.returncode != 0
    assert "REDIS_URL is not set, so extraction would run inside web requests" in result.stderr


def test_in_process_tasks_can_be_chosen_explicitly():
    result = start_web_application(FACTCHECK_IN_PROCESS_TASKS="1")

    assert result.returncode == 0, result.stderr


def test_with_redis_configured_it_starts():
    result = start_web_application(REDIS_URL="redis://127.0.0.1:6379/0")

    assert result.returncode == 0, result.stderr
