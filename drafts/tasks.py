from celery import shared_task

from cocreate.logcontext import draft_event_log_context
from drafts import services


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def notify_draft_event(event_id: int) -> bool:
    with draft_event_log_context(event_id):  # every line logged meanwhile names the draft
        return services.draft_event_notify(event_id=event_id)


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def notify_draft_events(event_ids: list[int]) -> int:
    """Several events' e-mails in one task; each is claimed on its own, so a retry sends only what is left."""
    sent = 0
    for event_id in event_ids:
        with draft_event_log_context(event_id):
            sent += services.draft_event_notify(event_id=event_id)
    return sent


@shared_task(ignore_result=True)
def notify_missed_draft_events() -> int:
    """Run by beat every five minutes: the e-mails of events whose task was lost go out after all."""
    return services.draft_events_notify_missed()
