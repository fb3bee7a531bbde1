from celery import shared_task

from contributors.agreements import services


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_agreement_expiry_reminders() -> int:
    """Run by beat: tell people ahead of time that a contract they work under runs out."""
    return services.agreement_expiry_reminders_send()
