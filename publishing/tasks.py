"""Celery is just another interface: ids in, a service call, nothing else."""

from celery import shared_task
from django.db import transaction

from publishing import services


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
    return services.publication_publish(publication_id=publication_id)


@shared_task(ignore_result=True)
def preflight_publications() -> int:
    """Run by beat every minute: warn managers before a publication would fail."""
    return services.publications_preflight()
