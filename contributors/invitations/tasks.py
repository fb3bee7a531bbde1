from celery import shared_task

from contributors.invitations import services


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_invitation(invitation_id: int, nonce: str, site_url: str) -> bool:
    return services.invitation_send(invitation_id=invitation_id, nonce=nonce, site_url=site_url)
