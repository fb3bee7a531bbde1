"""Celery tasks of notifications: they take ids and call the services (fan-out and mail)."""

from celery import shared_task

from contributors.notifications import fanout, mail


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_notification_emails(notification_ids: list[int]) -> int:
    """The e-mails of these notifications, one each; each is claimed on its own, so a retry sends what is left."""
    return mail.notifications_email(notification_ids=notification_ids)


@shared_task(ignore_result=True)
def send_missed_emails() -> int:
    """Run by beat every five minutes: e-mails whose task was lost go out after all."""
    return mail.notifications_email_missed()


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_digests() -> int:
    """Run by beat every 15 minutes: each person whose digest hour has come gets that day's digest, once."""
    return mail.digests_send()


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def notify_comment(comment_id: int) -> int:
    return fanout.comment_notify(comment_id=comment_id)


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def notify_agreement_version(version_id: int) -> int:
    return fanout.agreement_version_notify(version_id=version_id)


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def notify_brief_claim(claim_id: int) -> int:
    return fanout.brief_claim_notify(claim_id=claim_id)


@shared_task(ignore_result=True)
def remind_brief_deadlines() -> int:
    """Run by beat every 15 minutes: claimants are reminded 48 h and 24 h before their brief's deadline."""
    return fanout.brief_deadlines_remind()
