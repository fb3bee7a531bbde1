"""Celery is just another interface: ids in, a service call, nothing else."""

import logging

from celery import shared_task

from cocreate.logcontext import publication_log_context
from publishing import services

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def claim_due_publications() -> int:
    """Run by beat every second on its own queue ("claim"): hand what is due to the workers, in batches
    on the "publish" queue (nothing waits in the broker for hours; at most PUBLISHING_CLAIM_AHEAD rows
    wait there at any time, so none is taken back as stale while its task is queued)."""
    services.publications_recover_stale()
    claimed = 0
    while True:
        ids = services.publications_claim_due()  # committed: a task can only find a row already claimed
        for start in range(0, len(ids), services.PUBLISH_BATCH):
            publish_publications.delay(ids[start : start + services.PUBLISH_BATCH])
        claimed += len(ids)
        if len(ids) < services.CLAIM_BATCH:
            break
    services.drafts_without_channels_publish()
    return claimed


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def publish_publications(publication_ids: list[int]) -> int:
    """A batch of claimed publications, sent at the same time; each keeps its own claim and outcome."""
    outcomes = services.publications_publish(publication_ids=publication_ids)
    # One line for the batch (a log context per publication would cost a query each).
    logger.info("Publications %s", {pk: outcomes.get(pk, "skipped") for pk in publication_ids})
    return len(outcomes)


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def publish_publication(publication_id: int) -> str:
    """One publication (the batch task's single-id form, and messages queued before batches existed)."""
    with publication_log_context(publication_id):  # every line logged meanwhile names it, its draft and channel
        outcome = services.publication_publish(publication_id=publication_id)
        logger.info("Publication %s: %s", publication_id, outcome)
    return outcome


@shared_task(ignore_result=True)
def preflight_publications() -> int:
    """Run by beat every minute: warn managers before a publication would fail."""
    return services.publications_preflight()
