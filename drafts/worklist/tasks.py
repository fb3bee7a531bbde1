from celery import shared_task

from drafts.worklist.services import reminders_send


@shared_task(acks_late=True)
def send_work_reminders() -> dict:
    """Beat, every ten minutes: overdue reviews, approved drafts not scheduled, failing pre-flights."""
    return reminders_send()
