"""A publishing batch records its outcomes together: the statements do not grow with the batch, and each
publication and draft ends exactly as if it had been recorded on its own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from drafts.models import Draft, DraftEvent, DraftState
from drafts.services import draft_transition, drafts_mark_published
from publishing.adapters.base import PublishResult
from publishing.models import Publication, PublicationAttempt, PublicationState
from publishing.services.pipeline import _record_outcomes
from tests.factories import advance, make_channel, make_draft

pytestmark = pytest.mark.django_db


def scheduled_drafts(personas, count: int, *, channels: int = 1) -> list[Draft]:
    board = personas.board
    for n in range(channels):
        if not board.channels.filter(name=f"Hook {n}").exists():
            make_channel(
                board,
                "webhook",
                name=f"Hook {n}",
                settings={"url": "https://receiver.example/hook"},
                credentials={"secret": "s"},
            )
    drafts = []
    for n in range(count):
        draft = make_draft(board, personas.contributor, title=f"Post {n}")
        advance(draft, "scheduled", personas)
        drafts.append(draft)
    return drafts


def sending(drafts) -> list[Publication]:
    """The drafts' publications as a worker holds them mid-batch: taken (sending, one attempt made)."""
    rows = Publication.objects.filter(draft__in=drafts)
    rows.update(state=PublicationState.SENDING, attempts=1)
    return list(rows.select_related("channel").order_by("pk"))


def record(publications) -> None:
    results = [
        (p, PublishResult(post_id=f"id-{p.pk}", url=f"https://receiver.example/posts/{p.pk}")) for p in publications
    ]
    _record_outcomes(results, timezone.now())


def test_the_statements_for_a_batch_do_not_grow_with_it(personas):
    small = sending(scheduled_drafts(personas, 2))
    with CaptureQueriesContext(connection) as few:
        record(small)
    large = sending(scheduled_drafts(personas, 8))
    with CaptureQueriesContext(connection) as many:
        record(large)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_each_publication_keeps_its_own_platform_id_and_log_and_each_draft_is_published_once(personas):
    drafts = scheduled_drafts(personas, 3)
    versions = {draft.pk: draft.version for draft in drafts}
    record(sending(drafts))
    for publication in Publication.objects.filter(draft__in=drafts):
        assert publication.state == PublicationState.PUBLISHED
        assert publication.platform_post_id == f"id-{publication.pk}"
        assert publication.platform_url == f"https://receiver.example/posts/{publication.pk}"
        assert publication.published_at is not None
        assert list(publication.log.values_list("number", "outcome")) == [(1, PublicationAttempt.Outcome.PUBLISHED)]
    for draft in Draft.objects.filter(pk__in=versions):
        assert draft.state == DraftState.PUBLISHED
        assert draft.version == versions[draft.pk] + 1
        assert draft.state_since == draft.updated_at  # the queue's "waiting since" moves with the state
        assert DraftEvent.objects.filter(draft=draft, transition="mark_published", actor=None).count() == 1


def test_a_draft_waits_for_its_other_channels(personas):
    (draft,) = scheduled_drafts(personas, 1, channels=2)
    first, second = sending([draft])
    record([first])
    draft.refresh_from_db()
    assert draft.state == DraftState.SCHEDULED
    record([second])
    draft.refresh_from_db()
    assert draft.state == DraftState.PUBLISHED


def test_a_draft_no_longer_scheduled_is_left_alone(personas):
    published, unscheduled = scheduled_drafts(personas, 2)
    draft_transition(draft_id=unscheduled.pk, name="unschedule", actor=personas.manager)
    events = drafts_mark_published(draft_ids=[published.pk, unscheduled.pk])
    assert [event.draft_id for event in events] == [published.pk]
    unscheduled.refresh_from_db()
    assert unscheduled.state == DraftState.APPROVED
