"""docker-compose.yml describes a stack that can run this project as it is."""

import importlib
import re
from pathlib import Path

import pytest
import yaml

from factcheck.celery import app as celery_app

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def command_of(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_the_stack_has_web_worker_beat_redis_and_postgres_each_with_a_health_check(compose):
    services = compose["services"]

    assert set(services) == {"web", "worker", "beat", "redis", "postgres"}
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no health check"


def test_data_lives_in_named_volumes(compose):
    volumes = set(compose["volumes"])

    assert any(mount.split(":")[0] in volumes for mount in compose["services"]["postgres"]["volumes"])
    assert any(mount.split(":")[0] in volumes for mount in compose["services"]["redis"]["volumes"])


def test_the_web_service_serves_this_projects_wsgi_application_with_gunicorn(compose):
    command = command_of(compose["services"]["web"])
    match = re.search(r"gunicorn (\S+):(\S+)", command)

    assert match, command
    module = importlib.import_module(match.group(1))
    assert callable(getattr(module, match.group(2)))
    assert "manage.py migrate" in command


@pytest.mark.parametrize(("service", "role"), [("worker", "worker"), ("beat", "beat")])
def test_worker_and_beat_run_this_projects_celery_app(compose, service, role):
    command = command_of(compose["services"][service])
    match = re.search(r"celery -A (\S+) (\w+)", command)

    assert match and match.group(2) == role, command
    assert importlib.import_module(match.group(1)).celery_app is celery_app


def test_beat_schedules_only_tasks_that_exist():
    import articles.tasks  # noqa: F401  registers the tasks

    for entry in celery_app.conf.beat_schedule.values():
        assert entry["task"] in celery_app.tasks


def test_app_services_are_built_from_the_projects_dockerfile_and_wait_for_healthy_services(compose):
    dockerfile = (REPO / "Dockerfile").read_text()
    for name in ("web", "worker", "beat"):
        service = compose["services"][name]
        assert service["build"] == "."
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert service["depends_on"]["redis"]["condition"] == "service_healthy"
        assert {"DATABASE_URL", "REDIS_URL", "DJANGO_SECRET_KEY"} <= set(service["environment"])
    for copied in re.findall(r"^COPY (\S+)", dockerfile, flags=re.MULTILINE):
        assert copied == "." or (REPO / copied).exists(), f"Dockerfile copies missing {copied}"
