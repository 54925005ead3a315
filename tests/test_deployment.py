"""docker-compose.yml describes a stack that can run this project as it is."""

import http.client
import importlib
import os
import re
import socket
import subprocess
import sys
import time
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
    for copied in re.findall(r"^COPY (?!--from=)(\S+)", dockerfile, flags=re.MULTILINE):
        assert copied == "." or (REPO / copied).exists(), f"Dockerfile copies missing {copied}"


# --- settings and secrets: from .env, documented in .env.example ---------------------------------


def env_example() -> dict[str, str]:
    """The variables .env.example sets, and those it shows commented out with their default."""
    found = {}
    for line in (REPO / ".env.example").read_text().splitlines():
        match = re.fullmatch(r"#? ?([A-Z][A-Z0-9_]*)=(.*)", line.strip())
        if match:
            found[match.group(1)] = match.group(2)
    return found


def test_app_services_and_the_database_take_their_settings_from_the_env_file(compose):
    for name in ("web", "worker", "beat"):
        assert compose["services"][name]["env_file"] in (".env", [".env"]), name
    postgres = compose["services"]["postgres"]["environment"]
    assert postgres["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?"), "required, read from .env"
    required = {"DATABASE_URL", "REDIS_URL", "DJANGO_SECRET_KEY", "POSTGRES_PASSWORD", "DJANGO_ALLOWED_HOSTS"}
    assert required <= set(env_example())


def test_the_compose_file_holds_no_password_or_secret():
    text = (REPO / "docker-compose.yml").read_text()

    assert not re.search(r"postgres(ql)?://[^/\s:]+:[^@\s]+@", text), "a database URL with a password"
    for key, value in re.findall(r"^\s*(\w*(?:PASSWORD|SECRET)\w*):\s*(.+)$", text, flags=re.MULTILINE):
        assert value.strip().startswith("${"), f"{key} is written in the file"


def test_the_env_file_is_ignored_by_git_and_left_out_of_the_image():
    ignored = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=REPO)
    example = subprocess.run(["git", "check-ignore", "-q", ".env.example"], cwd=REPO)

    assert ignored.returncode == 0, ".env is git-ignored"
    assert example.returncode == 1, ".env.example is committed"
    assert ".env" in (REPO / ".dockerignore").read_text().split()


def test_the_example_env_file_has_placeholders_only():
    values = env_example()

    assert values["DJANGO_SECRET_KEY"] == "", "empty: the web server refuses to start until it is set"
    assert values["POSTGRES_PASSWORD"] == ""
    assert "REPLACE_WITH_POSTGRES_PASSWORD" in values["DATABASE_URL"]


def test_every_variable_the_settings_read_is_documented_in_the_example_env_file():
    settings_source = (REPO / "factcheck" / "settings.py").read_text()
    read = set(re.findall(r"""(?:env_\w+\(|os\.environ\.get\(|os\.environ\[)\s*["']([A-Z][A-Z0-9_]+)["']""", settings_source))

    assert {"DJANGO_SECRET_KEY", "DJANGO_SECURE_SSL_REDIRECT", "FACTCHECK_LOGIN_FAILURE_LIMIT"} <= read
    assert read - set(env_example()) == set()


def test_the_example_env_file_keeps_the_stack_usable_on_plain_http():
    """No TLS proxy ships with the stack: http://localhost:8000 must work as it comes."""
    values = env_example()

    assert values["DJANGO_SECURE_SSL_REDIRECT"] == "0"
    assert values["DJANGO_SECURE_COOKIES"] == "0"
    assert "localhost" in values["DJANGO_ALLOWED_HOSTS"].split(",")


# --- the web health check, against the real application ------------------------------------------


@pytest.fixture
def gunicorn(tmp_path):
    """Start gunicorn with this project's application in production mode; yields a start function."""
    servers = []

    def start(**environment) -> int:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
        env.update(
            DJANGO_SECRET_KEY="k" * 60,
            DATABASE_URL=f"sqlite:///{tmp_path / 'health.sqlite3'}",
            FACTCHECK_IN_PROCESS_TASKS="1",
            DJANGO_SETTINGS_MODULE="factcheck.settings",
            **environment,
        )
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "factcheck.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "1"],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        servers.append(server)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert server.poll() is None, server.stderr.read().decode()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return port
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not start within 60 seconds")

    yield start
    for server in servers:
        server.terminate()
        server.wait(timeout=30)


def run_health_check(compose, port: int, **environment) -> subprocess.CompletedProcess:
    test = compose["services"]["web"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"], test
    code = test[3]
    assert '"127.0.0.1", 8000' in code
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", code.replace('"127.0.0.1", 8000', f'"127.0.0.1", {port}')],
        env={**env, **environment}, capture_output=True, text=True, timeout=30,
    )


def plain_http_status(port: int, host: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/accounts/login/", headers={"Host": host})
    return connection.getresponse().status


@pytest.mark.parametrize(
    ("https", "plain_http"),
    [
        # As .env.example ships it: plain http on port 8000, no proxy.
        ({"DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_SECURE_COOKIES": "0"}, 200),
        # The production defaults: plain http is redirected to https.
        ({}, 301),
        # Behind a TLS proxy whose header Django is told to trust.
        ({"DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto"}, 301),
    ],
    ids=["plain-http", "redirect-to-https", "behind-a-tls-proxy"],
)
def test_the_web_health_check_passes_against_the_running_application(compose, gunicorn, https, plain_http):
    hosts = {"DJANGO_ALLOWED_HOSTS": "news.example.org,localhost"}
    port = gunicorn(**hosts, **https)

    result = run_health_check(compose, port, **hosts)

    assert result.returncode == 0, result.stderr
    assert plain_http_status(port, "news.example.org") == plain_http
