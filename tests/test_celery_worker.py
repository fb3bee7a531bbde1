"""A real Celery worker process on Redis runs the notification task end to end.

The test process sends the task through the broker (eager mode off); a separate `celery worker` process,
pointed at the test database, consumes it and stamps the event as notified.
"""

import os
import time

import pytest
from django.conf import settings
from django.core import mail

from cocreate.celery import app as celery_app
from drafts.models import DraftEvent
from drafts.services import draft_transition
from tests.celery_processes import TASK_TIMEOUT


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
