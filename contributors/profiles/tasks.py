from celery import shared_task

from contributors.profiles import password_reset


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_password_reset(email: str, domain: str, use_https: bool) -> None:
    password_reset.password_reset_send(email=email, domain=domain, use_https=use_https)
