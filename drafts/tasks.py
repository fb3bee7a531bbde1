from celery import shared_task

from cocreate.logcontext import draft_event_log_context
from contributors.notifications.mail import mail_batched
from drafts import services


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def notify_draft_event(event_id: int) -> bool:
    with draft_event_log_context(event_id):  # every line logged meanwhile names the draft
        return services.draft_event_notify(event_id=event_id)


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def notify_draft_events(event_ids: list[int]) -> int:
    """Several events' notifications in one task (a publishing batch settles many drafts at once), decided and
    written together; their e-mails go in one task at the end. A retry tells only the events not yet claimed."""
    with mail_batched():
        return services.draft_events_notify(event_ids=event_ids)


@shared_task(ignore_result=True)
def notify_missed_draft_events() -> int:
    """Run by beat every five minutes: the notifications of events whose task was lost are made after all."""
    return services.draft_events_notify_missed()
