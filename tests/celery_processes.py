"""Real Celery processes (worker, beat) for integration tests, pointed at the test database and Redis."""

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from cocreate.celery import app as celery_app
from tests.conftest import require_services

CELERY = Path(sys.executable).with_name("celery")
READY_TIMEOUT = 20.0
TASK_TIMEOUT = 30.0


def worker_database_url() -> str:
    """The URL of the database this test runs on (pytest-django's test database, not the real one)."""
    s = connection.settings_dict
    credentials = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        credentials += ":" + quote(s["PASSWORD"], safe="")
    host = s["HOST"] or "127.0.0.1"
    if host.startswith("/"):  # a Unix socket folder
        host = quote(host, safe="")
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{credentials}@{host}{port}/{quote(s['NAME'], safe='')}"


class Worker:
    def __init__(self, process: subprocess.Popen, log_path: Path) -> None:
        self.process = process
        self.log_path = log_path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for(self, pattern: str, timeout: float) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = re.search(pattern, self.log())
            if match:
                return match
            if self.process.poll() is not None:
                pytest.fail(f"the worker exited with {self.process.returncode}:\n{self.log()}")
            time.sleep(0.1)
        pytest.fail(f"no {pattern!r} in the worker's output after {timeout:.0f} s:\n{self.log()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            # Its own process group: SIGTERM is Celery's warm shutdown; kill whatever is left after that.
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@pytest.fixture
def services():
    require_services("the Celery worker test needs PostgreSQL (shared with the worker process) and Redis")
    assert connection.vendor == "postgresql"


@pytest.fixture
def broker_purged(services):
    """An empty queue, so messages left by an earlier run cannot interfere."""
    assert str(settings.CELERY_BROKER_URL).startswith("redis://")
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=3)
        celery_app.control.purge(connection=conn)


def start_celery(kind: str, tmp_path: Path, *extra: str, env: dict | None = None) -> Worker:
    """Start `celery worker` or `celery beat` in its own process group; the caller stops it."""
    overrides = env or {}
    log_path = tmp_path / f"{kind}-{uuid.uuid4().hex[:6]}.log"
    # Not an xdist worker itself: without PYTEST_XDIST_WORKER the test settings keep the Redis database that
    # this test's worker already moved to (cocreate.settings_test).
    inherited = {name: value for name, value in os.environ.items() if not name.startswith("PYTEST_XDIST_")}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "cocreate.settings_test",
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "COCREATE_VAR_DIR": str(tmp_path / "var"),
        "PYTHONUNBUFFERED": "1",
        **overrides,
    }
    command = [str(CELERY), "-A", "cocreate", kind, "--loglevel=INFO", *extra]
    if kind == "worker":
        command += [
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname=pytest-{uuid.uuid4().hex[:8]}@%h",
        ]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    return Worker(process, log_path)


@pytest.fixture
def worker(broker_purged, transactional_db, tmp_path):
    started = start_celery("worker", tmp_path, "--pool=solo")
    try:
        started.wait_for(r"\bready\.", READY_TIMEOUT)
        yield started
    finally:
        started.stop()


@pytest.fixture
def eager_off():
    """The test process sends tasks to the broker instead of running them in-process."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = previous
