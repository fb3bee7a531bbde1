"""Logs name the draft, publication and channel they are about; Sentry is on only with SENTRY_DSN."""

import json
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from cocreate.logcontext import draft_event_log_context, log_context
from cocreate.observability import _tag_with_log_context
from drafts.models import DraftEvent
from publishing.models import Channel, Publication
from publishing.tasks import publish_publication

ROOT = Path(settings.BASE_DIR)


def make_publication(draft) -> Publication:
    channel = Channel(board=draft.board, kind="webhook", name="Site hook", settings={"url": "http://127.0.0.1:9/"})
    channel.credentials = {"secret": "s3cret"}
    channel.save()
    return Publication.objects.create(draft=draft, channel=channel, due_at=timezone.now())


def test_a_publishing_tasks_log_line_carries_the_draft_publication_and_channel(draft, caplog):
    publication = make_publication(draft)
    with caplog.at_level(logging.INFO, logger="publishing.tasks"):
        publish_publication.delay(publication.pk)  # not claimed, so the worker skips it and says so
    [record] = [r for r in caplog.records if r.name == "publishing.tasks"]
    assert record.getMessage() == f"Publication {publication.pk}: skipped"
    ids = (record.draft_id, record.publication_id, record.channel_id)
    assert ids == (draft.pk, publication.pk, publication.channel_id)
    line = logging.Formatter(settings.LOG_FORMAT).format(record)
    assert f"[draft={draft.pk} publication={publication.pk} channel={publication.channel_id}]" in line


def test_a_line_outside_any_task_says_it_is_about_nothing(caplog):
    with caplog.at_level(logging.INFO):
        logging.getLogger("cocreate.test").info("hello")
    line = logging.Formatter(settings.LOG_FORMAT).format(caplog.records[-1])
    assert "[draft=- publication=- channel=-] hello" in line


def test_a_draft_tasks_context_names_the_draft_and_ends_with_it(draft, caplog):
    event = DraftEvent.objects.create(draft=draft, transition="create", target="draft")
    with caplog.at_level(logging.INFO), draft_event_log_context(event.pk):
        logging.getLogger("drafts.test").info("inside")
    logging.getLogger("drafts.test").info("after")
    inside, after = caplog.records[-2:]
    assert (inside.draft_id, after.draft_id) == (draft.pk, "-")


def test_the_worker_log_formats_carry_the_ids():
    for log_format in (settings.CELERY_WORKER_LOG_FORMAT, settings.CELERY_WORKER_TASK_LOG_FORMAT):
        for field in ("%(draft_id)s", "%(publication_id)s", "%(channel_id)s"):
            assert field in log_format


def test_sentry_events_are_tagged_with_the_ids():
    with log_context(draft_id=3, channel_id=8):
        event = _tag_with_log_context({"tags": {"kind": "x"}}, None)
    assert event["tags"] == {"kind": "x", "draft_id": "3", "channel_id": "8"}


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SENTRY_STATE = """
import json, django
django.setup()
import sentry_sdk
from django.conf import settings
client = sentry_sdk.get_client()
sentry_sdk.capture_message("health of the test")  # to a closed local port: dropped, never raised
sentry_sdk.flush(timeout=2)
print(json.dumps({"enabled": settings.SENTRY_ENABLED, "active": client.is_active(),
                  "integrations": sorted(client.integrations), "pii": bool(client.options["send_default_pii"])}))
"""


def sentry_state(**env: str) -> dict:
    base = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")}
    result = subprocess.run(
        [sys.executable, "-c", SENTRY_STATE],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "cocreate.settings_test", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_sentry_is_off_without_a_dsn():
    state = sentry_state()
    assert (state["enabled"], state["active"]) == (False, False)


def test_sentry_is_on_with_a_dsn_with_the_django_and_celery_integrations():
    state = sentry_state(SENTRY_DSN=f"http://public@127.0.0.1:{closed_port()}/1")
    assert (state["enabled"], state["active"], state["pii"]) == (True, True, False)
    assert {"django", "celery"} <= set(state["integrations"])
