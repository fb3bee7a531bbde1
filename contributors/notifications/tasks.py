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
    from drafts.models import DraftComment

    comment = (
        DraftComment.objects.select_related("draft__board", "draft__author", "author", "parent__author")
        .filter(pk=comment_id)
        .first()
    )
    return len(fanout.comment_fanout(comment)) if comment is not None else 0


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def notify_agreement_version(version_id: int) -> int:
    from contributors.agreements.models import AgreementVersion

    version = AgreementVersion.objects.select_related("agreement", "created_by").filter(pk=version_id).first()
    return len(fanout.agreement_version_fanout(version)) if version is not None else 0


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def notify_brief_claim(claim_id: int) -> int:
    from contributors.briefs.models import BriefClaim

    claim = (
        BriefClaim.objects.select_related("brief__board", "brief__created_by", "contributor", "draft")
        .filter(pk=claim_id)
        .first()
    )
    return len(fanout.brief_claim_fanout(claim)) if claim is not None else 0


@shared_task(ignore_result=True)
def remind_brief_deadlines() -> int:
    """Run by beat every 15 minutes: claimants are reminded 48 h and 24 h before their brief's deadline."""
    return fanout.brief_deadlines_remind()
