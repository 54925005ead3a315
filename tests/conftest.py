import os
from pathlib import Path

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from kombu import pools as kombu_pools

from factcheck.celery import app as celery_app

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
TEST_REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def services_required() -> bool:
    """In CI every service-backed test must run; elsewhere a missing service skips it."""
    return os.environ.get("FACTCHECK_REQUIRE_SERVICES") == "1"


def require_service(name: str, error: Exception) -> None:
    message = f"{name} is not reachable ({error}); start it or see README.md"
    if services_required():
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def sample_paths() -> list[Path]:
    return sorted(SAMPLES.glob("*.txt"))


@pytest.fixture
def redis_broker_url() -> str:
    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        require_service("Redis", error)
    return TEST_REDIS_URL


def configure_broker(**conf) -> dict:
    """Change Celery's broker settings and drop pooled connections made with the old ones."""
    previous = {key: celery_app.conf[key] for key in conf}
    celery_app.conf.update(conf)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    kombu_pools.reset()
    return previous


@pytest.fixture
def celery_worker(transactional_db, redis_broker_url):
    """A real Celery worker consuming from a real Redis broker, in a thread of this process.

    The test's writes are committed (transactional_db), so the worker's own database
    connection sees them, as a worker on another machine would.
    """
    previous = configure_broker(task_always_eager=False, broker_url=redis_broker_url, result_backend=redis_broker_url)
    celery_app.control.purge()
    with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30):
        yield celery_app
    configure_broker(**previous)


@pytest.fixture
def unreachable_broker():
    """Point Celery at a port where no Redis listens: a broker outage, for real (the broker
    and the result store share one Redis, so both go)."""
    previous = configure_broker(
        task_always_eager=False, broker_url="redis://127.0.0.1:1/0", result_backend="redis://127.0.0.1:1/0"
    )
    yield
    configure_broker(**previous)


class Cast:
    """One user per newsroom role, plus a second checker, so every rule is tested both ways."""

    def __init__(self):
        from django.contrib.auth.models import Group

        from articles.roles import sync_role_groups
        from tests.factories import UserFactory

        sync_role_groups()
        self.reporter = UserFactory(username="rita-reporter")
        self.checker = UserFactory(username="carl-checker")
        self.other_checker = UserFactory(username="olga-checker")
        self.editor = UserFactory(username="edna-editor")
        self.cms = UserFactory(username="cms-client")
        self.outsider = UserFactory(username="no-role")
        for user, role in [
            (self.reporter, "reporter"),
            (self.checker, "checker"),
            (self.other_checker, "checker"),
            (self.editor, "editor"),
            (self.cms, "cms"),
        ]:
            user.groups.add(Group.objects.get(name=role))

    def by_role(self, role: str):
        return {"reporter": self.reporter, "checker": self.checker, "editor": self.editor, "cms": self.cms,
                "outsider": self.outsider}[role]


@pytest.fixture
def cast(db) -> Cast:
    return Cast()


@pytest.fixture
def api(cast):
    """``api(role)`` is an API client authenticated with that role's token."""

    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def client_for(role: str):
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=cast.by_role(role))
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for


@pytest.fixture
def receiver(settings):
    """A real HTTP server on loopback that records what it is sent (webhooks, chat messages);
    loopback addresses are allowed for the test that uses it."""
    from tests.http_receiver import Receiver

    settings.ALLOW_PRIVATE_URLS = True
    receiver = Receiver()
    yield receiver
    receiver.close()
