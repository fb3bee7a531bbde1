"""Every write of the publishing pipeline. Tasks, admin and the workflow's effects call these.

A publication moves pending -> claimed (beat found it due) -> sending (a worker took it) -> published, or
back to pending with a later due_at after a temporary error, or failed. Each move is a conditional UPDATE,
so two workers (or a redelivered task) can never both send the same publication.
"""

import dataclasses
import logging
import os
import random
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone

from drafts.models import Draft, DraftState
from drafts.services import draft_transition, drafts_mark_published, notifications_batched
from publishing.adapters import AdapterError, NoAdapter, Post, PublishResult
from publishing.adapters.base import PostImage
from publishing.links import http_url
from publishing.models import Channel, Publication, PublicationAttempt, PublicationState
from publishing.rendering import format_for, markdown_for
from publishing.services.credentials import adapter_for

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BACKOFF_CAP_SECONDS = 3600
CLAIM_BATCH = 200
PUBLISH_BATCH = 25  # publications per publish task, sent at the same time


# --- Workflow effects -------------------------------------------------------------------------------------


def publications_schedule(*, draft: Draft, actor=None, arguments: dict | None = None) -> list[Publication]:
    """On schedule: one publication per chosen channel, each due at its own time (`arguments["times"]`,
    {channel id: time}, as publications.schedule_arguments_check completed it; every active channel of the
    board at the draft's publish time without it).

    A channel that already published this draft keeps its publication: rescheduling never re-posts. One
    still sending is left to finish. An earlier publication on a channel not chosen now is cancelled, so an
    old failure there cannot fail the draft again.
    """
    times = (arguments or {}).get("times")
    if times is None:
        active = Channel.objects.filter(board=draft.board_id, is_active=True)
        times = {channel.pk: draft.publish_at for channel in active}
    channels = list(Channel.objects.filter(board=draft.board_id, pk__in=list(times)).order_by("name", "pk"))
    problems = [f"{channel.name}: {problem}" for channel in channels for problem in post_problems(draft, channel)]
    if problems:
        # Nothing that a platform will reject is scheduled: the transition is refused with the reasons.
        raise ValidationError({"channels": problems})
    Publication.objects.filter(
        draft=draft, state__in=[PublicationState.PENDING, PublicationState.CLAIMED, PublicationState.FAILED]
    ).exclude(channel__in=channels).update(state=PublicationState.CANCELLED, updated_at=timezone.now())
    publications = []
    for channel in channels:
        fingerprint = post_for_channel(draft, channel, idempotency_key="").fingerprint
        due_at = times[channel.pk]
        publication, created = Publication.objects.get_or_create(
            draft=draft, channel=channel, defaults={"due_at": due_at, "content_sha256": fingerprint}
        )
        if not created and publication.state not in (PublicationState.PUBLISHED, PublicationState.SENDING):
            publication.state = PublicationState.PENDING
            publication.due_at = due_at
            publication.attempts = 0
            publication.last_error = ""
            publication.content_sha256 = fingerprint
            publication.preflight_at = None
            publication.preflight_problem = ""
            publication.save()
        publications.append(publication)
    return publications


def post_problems(draft: Draft, channel: Channel) -> list[str]:
    try:
        adapter = adapter_for(channel)
    except NoAdapter as missing:
        return [str(missing)]
    return adapter.validate(post_for_channel(draft, channel, idempotency_key=""))


def publications_cancel(*, draft: Draft, actor=None, arguments: dict | None = None) -> int:
    """On unschedule: what has not started sending is cancelled."""
    return Publication.objects.filter(
        draft=draft, state__in=[PublicationState.PENDING, PublicationState.CLAIMED]
    ).update(state=PublicationState.CANCELLED, updated_at=timezone.now())


def publications_retry_failed(*, draft: Draft, actor=None, arguments: dict | None = None) -> int:
    """On retry: the chosen failed channels (all of them by default) go again, each at its own time or the
    draft's (new) publish time (`arguments["times"]`), with the content as it is now (the manager's retry is
    what approves it, audited on the transition). A failed channel not chosen stays failed."""
    times = (arguments or {}).get("times")
    failed = Publication.objects.filter(draft=draft, state=PublicationState.FAILED).select_related("channel")
    if times is not None:
        failed = failed.filter(channel__in=list(times))
    now = timezone.now()
    for publication in failed:
        due_at = draft.publish_at if times is None else times[publication.channel_id]
        if due_at is None:
            raise ValidationError({"publish_at": ["Say when to publish."]})
        publication.state = PublicationState.PENDING
        publication.due_at = due_at
        publication.attempts = 0
        publication.content_sha256 = post_for_channel(draft, publication.channel, idempotency_key="").fingerprint
        publication.updated_at = now
        publication.save(update_fields=["state", "due_at", "attempts", "content_sha256", "updated_at"])
    return len(failed)


def content_change(publication: Publication, post: Post) -> str:
    """What to say when the content for this channel is no longer what was scheduled ("" when it is).

    The fingerprint is of the rendered post, so it changes with the text or with how it is rendered. The
    workflow freezes a draft once submitted, but rows can be edited outside the app: what goes out must be
    what was approved, or nothing."""
    if not publication.content_sha256 or post.fingerprint == publication.content_sha256:
        return ""
    return (
        f"The content for {publication.channel.name} is no longer what was approved and scheduled (the draft, "
        "its images or its text for this channel changed): check it, then retry to send it as it is now."
    )


# --- Claiming and sending -----------------------------------------------------------------------------


def publications_recover_stale(*, now=None) -> int:
    """Take back work whose task was lost (a worker killed, a broker restarted).

    Claimed but never started: due again now. Stuck in sending (the worker died during the call): the
    post may be live, so it goes again only where the platform deduplicates; otherwise it fails with a
    message asking a person to check the platform, never blindly resent.
    """
    now = now or timezone.now()
    requeued = Publication.objects.filter(
        state=PublicationState.CLAIMED, claimed_at__lt=now - timedelta(seconds=settings.PUBLISHING_CLAIM_STALE_SECONDS)
    ).update(state=PublicationState.PENDING, due_at=now, updated_at=now)
    if requeued:
        # A lost task, or a queue that did not drain within PUBLISHING_CLAIM_STALE_SECONDS (the bench counts it).
        logger.warning("Took back %d claimed publication(s) whose task had not started", requeued)
    stuck = Publication.objects.filter(
        state=PublicationState.SENDING,
        updated_at__lt=now - timedelta(seconds=settings.PUBLISHING_SENDING_STALE_SECONDS),
    ).select_related("channel")
    for publication in stuck:
        # The interrupted send began when the row went to "sending" (its updated_at).
        if _resend_is_safe(
            publication, adapter_for(publication.channel), at=now, ambiguous_since=publication.updated_at
        ):
            changed = Publication.objects.filter(pk=publication.pk, state=PublicationState.SENDING).update(
                state=PublicationState.PENDING, due_at=now, updated_at=now
            )
        else:
            with transaction.atomic():
                changed = Publication.objects.filter(pk=publication.pk, state=PublicationState.SENDING).update(
                    state=PublicationState.FAILED,
                    last_error="Interrupted while sending: check on the platform whether it was posted, then retry.",
                    updated_at=now,
                )
                if changed:
                    _settle_draft(publication.draft_id)
        requeued += changed
    return requeued


@transaction.atomic
def publications_claim_due(*, now=None, limit: int = CLAIM_BATCH) -> list[int]:
    """Claim what is due: rows other claimers hold are skipped, so several beats never claim twice.

    At most PUBLISHING_CLAIM_AHEAD rows are claimed and not yet taken by a worker: a burst waits here, in
    the database, rather than in the broker, where a row left longer than PUBLISHING_CLAIM_STALE_SECONDS
    would be taken back as lost while its task was only queued."""
    now = now or timezone.now()
    room = settings.PUBLISHING_CLAIM_AHEAD - Publication.objects.filter(state=PublicationState.CLAIMED).count()
    limit = min(limit, room)
    if limit <= 0:
        return []
    ids = list(due_publications(now)[:limit])
    if ids:
        Publication.objects.filter(pk__in=ids).update(state=PublicationState.CLAIMED, claimed_at=now, updated_at=now)
    return ids


def due_publications(now):
    """The claim query: pending rows due by `now`, in due order, locked, skipping rows others hold
    (the partial index publication_pending_due answers it)."""
    return (
        Publication.objects.select_for_update(skip_locked=True)
        .filter(state=PublicationState.PENDING, due_at__lte=now)
        .order_by("due_at", "id")
        .values_list("pk", flat=True)
    )


def publication_publish(*, publication_id: int) -> str:
    """Send one claimed publication and record the outcome. Returns the publication's new state."""
    return publications_publish(publication_ids=[publication_id]).get(publication_id, "skipped")


def publications_publish(*, publication_ids: list[int]) -> dict[int, str]:
    """Send a batch of claimed publications, the platform calls at the same time, and record each outcome.
    Returns {id: new state} for the rows this call took (a row another worker took is left out).

    Each row keeps its own claim: claimed -> sending is committed before any platform call, so a second
    worker that gets the same ids (a redelivered task) finds nothing to do. As calls end, the outcomes that
    have come in are recorded together, with their attempt logs and their drafts' settle step, in one
    transaction (a handful of statements for the lot, not a dozen per publication). The database work stays
    on this thread; the pool threads only build and send the HTTP requests.
    """
    started = timezone.now()
    with transaction.atomic():
        taken = list(
            Publication.objects.select_for_update(skip_locked=True)
            .filter(pk__in=publication_ids, state=PublicationState.CLAIMED)
            .values_list("pk", flat=True)
        )
        if not taken:
            return {}
        Publication.objects.filter(pk__in=taken).update(
            state=PublicationState.SENDING, attempts=F("attempts") + 1, updated_at=started
        )
    publications = list(
        Publication.objects.filter(pk__in=taken)
        .select_related("draft__board", "channel")
        .prefetch_related("draft__images")
        .order_by("due_at", "pk")
    )
    messages = _earlier_messages(taken)
    outcomes: dict[int, str] = {}
    sends = []
    for publication in publications:
        try:
            adapter = adapter_for(publication.channel)
            post = post_for(publication, earlier_messages=messages.get(publication.pk, ()))
            changed = content_change(publication, post)
            if changed:
                raise AdapterError(changed, permanent=True)
            problems = adapter.validate(post)
            if problems:
                raise AdapterError(" ".join(problems), permanent=True)
        except AdapterError as error:
            outcomes[publication.pk] = _record_failure(publication, error, started)
            continue
        except Exception as error:  # noqa: BLE001 - a bug must not leave the row in "sending"
            logger.exception("Preparing publication %s crashed", publication.pk)
            outcomes[publication.pk] = _record_failure(publication, AdapterError(f"Internal error: {error}"), started)
            continue
        sends.append((publication, adapter, post))
    if len(sends) == 1:  # nothing to overlap: no pool
        publication, adapter, post = sends[0]
        outcomes.update(_record_outcomes([(publication, _send(publication, adapter, post))], started))
        return outcomes
    with notifications_batched():
        pending = {_send_pool().submit(_send_on_pool_thread, *send): send[0] for send in sends}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)  # every call that has ended by now
            outcomes.update(_record_outcomes([(pending.pop(future), future.result()) for future in done], started))
    return outcomes


SEND_THREADS = PUBLISH_BATCH  # platform calls in flight (they wait on the network, not on this process)
_pool: ThreadPoolExecutor | None = None
_pool_pid: int | None = None


def _send_pool() -> ThreadPoolExecutor:
    """One pool per process, its threads kept between batches (a forked worker makes its own)."""
    global _pool, _pool_pid
    if _pool is None or _pool_pid != os.getpid():
        _pool = ThreadPoolExecutor(max_workers=SEND_THREADS, thread_name_prefix="publish")
        _pool_pid = os.getpid()
    return _pool


def _send(publication: Publication, adapter, post: Post):
    """The platform call, on a pool thread: its result, or the AdapterError to record."""
    try:
        return adapter.publish(post)
    except AdapterError as error:
        return error
    except Exception as error:  # noqa: BLE001 - an adapter bug must not leave the row in "sending"
        logger.exception("Adapter %s crashed", publication.channel.kind)
        return AdapterError(f"Internal error: {error}", ambiguous=True)


def _send_on_pool_thread(publication: Publication, adapter, post: Post):
    try:
        return _send(publication, adapter, post)
    finally:
        # An adapter that refreshed its credentials used the database from this thread: let that go.
        connections.close_all()


@transaction.atomic
def _record_outcomes(finished: list[tuple[Publication, PublishResult | AdapterError]], started) -> dict[int, str]:
    """Record the calls that have ended: each publication's outcome and attempt log, then the settle step of
    their drafts, in one transaction. Successes are written in bulk; a failure (rare) row by row."""
    outcomes: dict[int, str] = {}
    published: list[tuple[Publication, PublishResult]] = []
    for publication, result in finished:
        if isinstance(result, AdapterError):
            outcomes[publication.pk] = _record_failure(publication, result, started)
        else:
            published.append((publication, result))
    if not published:
        return outcomes
    for publication, result in published:
        publication.platform_post_id = str(result.post_id)[:200]
        publication.platform_url = http_url(result.url)
        outcomes[publication.pk] = PublicationState.PUBLISHED
    rows = [publication for publication, _ in published]
    # What all share in one plain UPDATE; only the platform's id and address differ row by row.
    now = timezone.now()
    Publication.objects.filter(pk__in=[row.pk for row in rows]).update(
        state=PublicationState.PUBLISHED, sent_at=started, published_at=now, last_error="", updated_at=now
    )
    Publication.objects.bulk_update(rows, fields=["platform_post_id", "platform_url"])
    PublicationAttempt.objects.bulk_create(
        PublicationAttempt(
            publication=publication,
            number=publication.attempts,
            outcome=PublicationAttempt.Outcome.PUBLISHED,
            message="",
            started_at=started,
        )
        for publication in rows
    )
    _settle_drafts({publication.draft_id for publication in rows})
    return outcomes


def _earlier_messages(publication_ids: list[int]) -> dict[int, tuple[str, ...]]:
    messages: dict[int, list[str]] = {}
    rows = PublicationAttempt.objects.filter(publication__in=publication_ids).order_by("publication", "number")
    for publication_id, message in rows.values_list("publication_id", "message"):
        messages.setdefault(publication_id, []).append(message)
    return {pk: tuple(found) for pk, found in messages.items()}


def post_for(publication: Publication, *, earlier_messages: tuple[str, ...] | None = None) -> Post:
    """The post for one attempt of a publication, with what its adapter must know of earlier attempts.

    An earlier attempt shows as a logged outcome, or (a worker killed mid-send, then recovered) as more than
    the one attempt being made now, with no log row. `publication.attempts` must count the attempt being
    made (the row as read after it went to sending); `earlier_messages` are read when not given."""
    post = post_for_channel(publication.draft, publication.channel, idempotency_key=str(publication.idempotency_key))
    if earlier_messages is None:
        earlier_messages = tuple(publication.log.order_by("number").values_list("message", flat=True))
    return dataclasses.replace(
        post,
        resend=publication.attempts > 1 or bool(earlier_messages),
        earlier_messages=earlier_messages,
        created_at=publication.created_at,
    )


def post_for_channel(draft: Draft, channel: Channel, *, idempotency_key: str) -> Post:
    """The draft as this channel gets it, rendered for its platform (publishing.rendering): the variant for
    this channel, else for its kind, else the body. Previews, validation and publishing all start here."""
    rendered = format_for(channel.kind, markdown_for(draft, channel))
    return Post(
        draft_id=draft.pk,
        title=draft.title,
        text=rendered.text,
        html=rendered.html,
        extra=dict(rendered.extra),
        tags=list(draft.tags),
        idempotency_key=idempotency_key,
        board=draft.board.name,
        images=tuple(
            PostImage(
                name=image.file.name or "",
                content_type=image.content_type,
                alt_text=image.alt_text,
                width=image.width,
                height=image.height,
                size=image.size,
                sha256=image.sha256,
            )
            for image in draft.images.all()
        ),
    )


@transaction.atomic
def _record_failure(publication: Publication, error: AdapterError, started) -> str:
    attempts = publication.attempts  # as read after this attempt took the row
    give_up = error.permanent or attempts >= MAX_ATTEMPTS
    now = timezone.now()
    due_at = None if give_up else now + retry_delay(attempts, error.retry_after)
    adapter = adapter_for(publication.channel)
    if due_at and not _resend_is_safe(
        publication, adapter, at=due_at, ambiguous_since=started if error.ambiguous else None
    ):
        # The post may be live already: never resend blindly where that could double-post.
        give_up, due_at = True, None
        error = AdapterError(
            f"{error.message} {RESEND_UNSAFE}", ambiguous=error.ambiguous, status_code=error.status_code
        )
    outcome = (
        PublicationAttempt.Outcome.AMBIGUOUS
        if error.ambiguous
        else PublicationAttempt.Outcome.PERMANENT
        if error.permanent
        else PublicationAttempt.Outcome.TRANSIENT
    )
    state = PublicationState.FAILED if give_up else PublicationState.PENDING
    changes = {"state": state, "last_error": error.message[:2000], "updated_at": now}
    if due_at:
        changes["due_at"] = due_at
    Publication.objects.filter(pk=publication.pk).update(**changes)
    _log(publication, outcome, error.message, error.status_code, started)
    if give_up:
        _settle_draft(publication.draft_id)
    return state


RESEND_UNSAFE = (
    "An earlier attempt may have posted it, and the platform no longer recognises a resend: check on the "
    "platform whether it was posted, then retry."
)


def _resend_is_safe(publication: Publication, adapter, *, at, ambiguous_since=None) -> bool:
    """May the publication be sent again at `at`? Always, unless an attempt may have posted it already
    (a timeout after the request went out): then only where the platform still deduplicates at `at`."""
    earlier = (
        PublicationAttempt.objects.filter(publication=publication, outcome=PublicationAttempt.Outcome.AMBIGUOUS)
        .order_by("started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    since = min(filter(None, [earlier, ambiguous_since]), default=None)
    if since is None:
        return True
    if not adapter.deduplicates:
        return False
    window = adapter.deduplication_window
    # A tenth of the window to spare: the platform's clock and ours, and the time the resend takes.
    return window is None or (at - since).total_seconds() < window * 0.9


def retry_delay(attempts: int, retry_after: float | None) -> timedelta:
    """Exponential backoff with jitter, never sooner than the platform asked."""
    backoff = min(BACKOFF_CAP_SECONDS, settings.PUBLISHING_BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1))
    seconds = backoff * random.uniform(0.8, 1.2)
    if retry_after is not None:
        seconds = max(seconds, retry_after)
    return timedelta(seconds=seconds)


def _log(publication, outcome, message, status_code, started) -> None:
    PublicationAttempt.objects.create(
        publication=publication,
        number=publication.attempts,
        outcome=outcome,
        message=message[:2000],
        status_code=status_code,
        started_at=started,
    )


def _settle_draft(draft_id: int) -> None:
    _settle_drafts({draft_id})


def _settle_drafts(draft_ids: set[int]) -> None:
    """Each draft whose publications all have an outcome: published if all went out (in bulk), failed if any
    failed for good. One query reads every draft's publications and its own state."""
    rows = (
        Publication.objects.filter(draft_id__in=draft_ids)
        .exclude(state=PublicationState.CANCELLED)
        .values_list("draft_id", "state", "draft__state")
    )
    states: dict[int, set[str]] = {}
    for draft_id, state, draft_state in rows:
        if draft_state == DraftState.SCHEDULED:
            states.setdefault(draft_id, set()).add(state)
    all_published = sorted(draft_id for draft_id, found in states.items() if found == {PublicationState.PUBLISHED})
    if all_published:
        drafts_mark_published(draft_ids=all_published)
    unfinished = {PublicationState.PENDING, PublicationState.CLAIMED, PublicationState.SENDING}
    for draft_id, found in sorted(states.items()):
        if PublicationState.FAILED in found and not found & unfinished:
            failed = Publication.objects.filter(draft_id=draft_id, state=PublicationState.FAILED).select_related(
                "channel"
            )
            reasons = "; ".join(f"{p.channel.name}: {p.last_error}" for p in failed)
            draft_transition(draft_id=draft_id, name="mark_failed", actor=None, comment=reasons[:2000])


def drafts_without_channels_publish(*, now=None) -> int:
    """A scheduled draft on a board with no channel is 'published' at its time (the team posts it by hand)."""
    now = now or timezone.now()
    due = list(drafts_due_without_channels(now)[:CLAIM_BATCH])
    return len(drafts_mark_published(draft_ids=due, data={"channels": 0})) if due else 0


def drafts_due_without_channels(now):
    """Scheduled drafts due by `now` with no publication (the partial index draft_scheduled_due)."""
    return Draft.objects.filter(state=DraftState.SCHEDULED, publish_at__lte=now, publications__isnull=True).values_list(
        "pk", flat=True
    )
