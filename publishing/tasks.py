"""Celery is just another interface: ids in, a service call, nothing else."""

import logging

from celery import shared_task
from django.db import transaction

from cocreate.logcontext import publication_log_context
from publishing import services

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def claim_due_publications() -> int:
    """Run by beat every second: hand what is due to the workers (nothing waits in the broker for hours)."""
    services.publications_recover_stale()
    ids = services.publications_claim_due()
    for publication_id in ids:
        transaction.on_commit(lambda pk=publication_id: publish_publication.delay(pk))
    services.drafts_without_channels_publish()
    return len(ids)


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def publish_publication(publication_id: int) -> str:
    with publication_log_context(publication_id):  # every line logged meanwhile names it, its draft and channel
        outcome = services.publication_publish(publication_id=publication_id)
        logger.info("Publication %s: %s", publication_id, outcome)
    return outcome


@shared_task(ignore_result=True)
def preflight_publications() -> int:
    """Run by beat every minute: warn managers before a publication would fail."""
    return services.publications_preflight()
