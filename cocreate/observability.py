"""Error reporting: Sentry when SENTRY_DSN is set, nothing at all otherwise.

Django and Celery integrations, so a failed request or task is reported with its route or task name;
no personal data (send_default_pii off: no user e-mail, cookies or request bodies); the draft, publication
and channel a failure was about ride along as tags (cocreate/logcontext.py).
"""

from cocreate.logcontext import current_ids


def _tag_with_log_context(event, hint):
    ids = current_ids()
    if ids:
        event.setdefault("tags", {}).update({name: str(value) for name, value in ids.items()})
    return event


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float) -> bool:
    """Start Sentry if a DSN is given; whether it was started."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        traces_sample_rate=traces_sample_rate,
        before_send=_tag_with_log_context,
    )
    return True
