"""Real parts to break on purpose: a Redis of the test's own, and Celery workers and beat as
separate processes sharing the test database, as they would in production."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.db import connection

from tests.conftest import REPO, configure_broker, require_service

CELERY = str(Path(sys.executable).with_name("celery"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, what: str, timeout: float) -> float:
    """Wait until ``condition()`` holds; returns the seconds it took."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            pytest.fail(f"{what} did not happen within {timeout:.0f} s")
        time.sleep(0.2)
    return time.monotonic() - started


class PrivateRedis:
    """A redis-server on a free loopback port, without persistence: stopping it loses every
    message in it, the worst case of an outage."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
        )
        wait_for(self.answers, "Redis starting", timeout=10)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def answers(self) -> bool:
        try:
            return redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False


@pytest.fixture
def private_redis(tmp_path):
    try:
        subprocess.run(["redis-server", "--version"], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as error:
        require_service("redis-server", error)
    server = PrivateRedis(tmp_path)
    server.start()
    previous = configure_broker(task_always_eager=False, broker_url=server.url, result_backend=server.url)
    yield server
    configure_broker(**previous)
    server.stop()


class CeleryProcesses:
    """Start workers and beat as separate process groups, and kill them as a machine would."""

    def __init__(self, redis_url: str, workdir: Path):
        database = connection.settings_dict
        self.workdir = workdir
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "factcheck.test_settings",
            "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**database),
            "REDIS_URL": redis_url,
            # Recovery passes every second, and a message overdue by 5 s with an empty queue is lost.
            "FACTCHECK_EXTRACTION_RECOVERY_SECONDS": "1",
            "FACTCHECK_EXTRACTION_LOST_AFTER": "5",
        }
        self.processes: list[subprocess.Popen] = []

    def start_worker(self, *, concurrency: int = 2) -> subprocess.Popen:
        return self._start(
            "worker", f"--concurrency={concurrency}", f"--hostname=fault-{len(self.processes)}@%h", "--without-mingle"
        )

    def start_beat(self) -> subprocess.Popen:
        return self._start("beat", f"--schedule={self.workdir / 'beat-schedule'}")

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL to the whole process group: the worker and its pool die mid-task."""
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def kill_all(self) -> None:
        for process in self.processes:
            self.kill(process)

    def _start(self, role: str, *arguments: str) -> subprocess.Popen:
        log = open(self.workdir / f"{role}-{len(self.processes)}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            [CELERY, "-A", "factcheck", role, "--loglevel=WARNING", *arguments],
            cwd=REPO,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process


@pytest.fixture
def celery_processes(transactional_db, private_redis, tmp_path):
    if connection.vendor != "postgresql":
        require_service("PostgreSQL", RuntimeError("the fault tests share the test database with other processes"))
    processes = CeleryProcesses(private_redis.url, tmp_path)
    yield processes
    processes.kill_all()
