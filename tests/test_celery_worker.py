"""A real Celery worker process on Redis runs the notification task end to end.

The test process sends the task through the broker (eager mode off); a separate `celery worker` process,
pointed at the test database, consumes it and stamps the event as notified.
"""

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
from django.core import mail
from django.db import connection

from cocreate.celery import app as celery_app
from drafts.models import DraftEvent
from drafts.services import draft_transition
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


@pytest.fixture
def worker(broker_purged, transactional_db, tmp_path):
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cocreate.settings_test",
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "COCREATE_VAR_DIR": str(tmp_path / "var"),
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        str(CELERY),
        "-A",
        "cocreate",
        "worker",
        "--pool=solo",
        "--loglevel=INFO",
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
    started = Worker(process, log_path)
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


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_it_notifies_through_a_real_worker_process(services, personas, draft, worker, eager_off):
    # The worker consumes from Redis and knows the task (its start-up banner lists both).
    assert "drafts.tasks.notify_draft_event" in worker.log()
    assert "redis://" in worker.log()
    started = time.monotonic()
    # Submitted by its author (no e-mail), then approved by a reviewer: the author is told.
    draft_transition(draft_id=draft.pk, name="submit", actor=personas.contributor)
    event = draft_transition(draft_id=draft.pk, name="approve", actor=personas.reviewer)
    assert event.actor_id != draft.author_id

    deadline = time.monotonic() + TASK_TIMEOUT
    notified_at = None
    while notified_at is None and time.monotonic() < deadline:
        notified_at = DraftEvent.objects.filter(pk=event.pk).values_list("notified_at", flat=True).get()
        if notified_at is None:
            if worker.process.poll() is not None:
                pytest.fail(f"the worker exited with {worker.process.returncode}:\n{worker.log()}")
            time.sleep(0.1)
    assert notified_at is not None, f"the worker did not notify within {TASK_TIMEOUT:.0f} s:\n{worker.log()}"
    assert notified_at >= event.created_at

    # Both events went through the worker (submit: claimed, no mail to oneself; approve: mail to the author).
    succeeded = worker.wait_for(
        r"(?s)(Task drafts\.tasks\.notify_draft_event\[[0-9a-f-]+\] succeeded in [\d.]+s: True.*){2}", 10
    )
    assert succeeded
    assert DraftEvent.objects.filter(draft=draft, transition="submit", notified_at__isnull=False).exists()
    assert mail.outbox == [], "nothing ran in the test process: the worker sent the e-mail"
    assert time.monotonic() - started < TASK_TIMEOUT


@pytest.mark.skipif("CELERY_TASK_ALWAYS_EAGER" in os.environ, reason="CELERY_TASK_ALWAYS_EAGER is overridden")
def test_it_runs_tasks_in_process_unless_told_otherwise():
    """settings_test only lets a worker process (CELERY_TASK_ALWAYS_EAGER=0) turn eager mode off."""
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    assert celery_app.conf.task_always_eager is True
