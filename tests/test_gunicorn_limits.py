"""Under gunicorn, as production serves the application, a client sending a body over the limit
reads a 413 with the API's error body (not a connection reset), a chunked body gets a 411,
control characters a 400, and ordinary requests work as before."""

import io
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.db import connection
from rest_framework.authtoken.models import Token

from articles.models import Note
from tests.factories import ArticleFactory, ChecklistItemFactory

REPO = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60
REQUEST_TIMEOUT = 60


def database_url() -> str:
    """The test database, for the server's own connections."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    credentials = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgres://{credentials}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"


@pytest.fixture
def server(transactional_db, tmp_path):
    """gunicorn serving factcheck.wsgi:application in production mode on a free port; its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        DJANGO_SECRET_KEY="gunicorn-limits-test-" + "k" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DATABASE_URL=database_url(),
        FACTCHECK_IN_PROCESS_TASKS="1",
    )
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "factcheck.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--timeout", "60"],
            cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert process.poll() is None, f"gunicorn stopped:\n{log.read_text()}"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, f"gunicorn did not start in {START_TIMEOUT} s:\n{log.read_text()}"
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


@pytest.fixture
def editor(cast):
    return {"Authorization": f"Token {Token.objects.create(user=cast.editor).key}"}


class NetworkPacedBody(io.BytesIO):
    """A request body that arrives at about 4 MB/s, as over a real network (over the loopback a
    whole body lands in the kernel's buffers at once, which hides a server closing early)."""

    PAUSE_EVERY = 1_000_000
    PAUSE = 0.25

    def __init__(self, payload: bytes):
        super().__init__(payload)
        self.length = len(payload)
        self.until_pause = self.PAUSE_EVERY

    def __len__(self):
        return self.length

    def read(self, size=-1):
        chunk = super().read(size)
        self.until_pause -= len(chunk)
        if self.until_pause <= 0:
            time.sleep(self.PAUSE)
            self.until_pause = self.PAUSE_EVERY
        return chunk


def test_a_15_mb_article_gets_a_readable_413_not_a_connection_reset(server, editor):
    story = {"source": "cms", "external_id": "huge", "body": "The council met. " * 900_000}
    payload = json.dumps(story).encode()
    assert len(payload) > 15_000_000

    body = NetworkPacedBody(payload)

    response = requests.post(
        f"{server}/api/v1/articles/", data=body, timeout=REQUEST_TIMEOUT,
        headers={**editor, "Content-Type": "application/json"},
    )

    # The server read the whole body before answering, so the client could send all of it: a
    # client (or proxy) that reads the answer only after sending never meets a closed connection.
    assert body.tell() == len(payload)

    assert response.status_code == 413
    assert response.headers["Content-Type"] == "application/json"
    assert "the limit is" in response.json()["detail"]


def test_a_chunked_body_gets_a_411(server, editor):
    def chunks():
        yield b'{"source": "cms", "external_id": "chunked", '
        yield b'"body": "The council met on Monday."}'

    response = requests.post(
        f"{server}/api/v1/articles/", data=chunks(), timeout=REQUEST_TIMEOUT,
        headers={**editor, "Content-Type": "application/json"},
    )

    assert response.request.headers["Transfer-Encoding"] == "chunked"
    assert response.status_code == 411
    assert "Content-Length" in response.json()["detail"]


def test_a_nul_in_a_query_string_gets_a_400(server, editor):
    response = requests.get(f"{server}/api/v1/articles/?source=cms%00", headers=editor, timeout=REQUEST_TIMEOUT)

    assert response.status_code == 400
    assert "U+0000 (NUL)" in response.json()["detail"]


def test_ordinary_requests_work_as_before(server, editor):
    item = ChecklistItemFactory(article=ArticleFactory(checklist_status="ready"))

    added = requests.post(
        f"{server}/api/v1/items/{item.pk}/notes/", json={"body": "Called the clerk.", "source": None},
        headers=editor, timeout=REQUEST_TIMEOUT,
    )
    listed = requests.get(f"{server}/api/v1/items/{item.pk}/notes/", headers=editor, timeout=REQUEST_TIMEOUT)

    assert added.status_code == 201, added.text
    assert [note["body"] for note in listed.json()["results"]] == ["Called the clerk."]
    assert Note.objects.get().source == ""
