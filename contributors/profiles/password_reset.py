"""Password reset requests: throttled per address and per client, the e-mail sent by a Celery task.

The request itself never looks the address up: it counts, queues one task with the address and answers.
So the answer is the same, and takes the same time, whether or not an account uses the address; only the
worker finds out, and it sends nothing when none does.
"""

import hashlib

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.template import loader
from django.utils import timezone

WINDOW_SECONDS = 3600


class PasswordResetThrottled(Exception):
    """Too many requests for this address or from this client in the last hour (HTTP 429)."""

    message = "Too many password reset requests for this address or from your network. Try again in an hour."


def rate_per_hour() -> int:
    return getattr(settings, "PASSWORD_RESET_RATE_PER_HOUR", 5)


def _count(kind: str, value: str) -> int:
    """Requests so far in this fixed hour window (atomic add + incr on locmem and Redis alike)."""
    window = int(timezone.now().timestamp() // WINDOW_SECONDS)
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]  # no address in plain text in the cache
    key = f"password-reset:{kind}:{digest}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.add(key, 1, timeout=WINDOW_SECONDS)
        return 1


def password_reset_request(*, email: str, client_ip: str | None, domain: str, use_https: bool) -> None:
    """Queue the reset e-mail for `email`, or raise PasswordResetThrottled; never says whether it has an account."""
    email = email.strip().lower()
    by_address = _count("address", email)
    by_client = _count("client", client_ip or "unknown")
    if max(by_address, by_client) > rate_per_hour():
        raise PasswordResetThrottled(PasswordResetThrottled.message)
    from contributors.profiles.tasks import send_password_reset

    send_password_reset.delay(email, domain, use_https)  # nothing was written that the task must wait for


class _ResetMailForm(PasswordResetForm):
    """Django's form logs a failed send and carries on; in a task the failure must reach Celery's retry."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        EmailMultiAlternatives(subject, body, from_email, [to_email]).send()


def password_reset_send(*, email: str, domain: str, use_https: bool) -> None:
    """In the worker: e-mail a reset link to each active account with a usable password at `email`."""
    form = _ResetMailForm({"email": email})
    if form.is_valid():
        form.save(domain_override=domain, use_https=use_https)
