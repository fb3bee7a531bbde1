"""GET /healthz/ for load balancers and docker-compose: can this process serve requests right now?

200 "ok" when the database and the Celery broker both answer, 503 "unavailable" when either does not.
No sign-in, and nothing else in the answer: which part failed, and why, goes to the log only.
"""

import logging

from django.conf import settings
from django.db import connections
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

logger = logging.getLogger(__name__)

# A health check that hangs is as bad as one that fails: the probe gives up after a few seconds.
BROKER_TIMEOUT_SECONDS = 3


def database_answers() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database does not answer")
        return False
    return True


def broker_answers() -> bool:
    broker = Connection(
        settings.CELERY_BROKER_URL,
        transport_options=getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
        connect_timeout=BROKER_TIMEOUT_SECONDS,
    )
    try:
        broker.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT_SECONDS)  # no retry: say so now
        broker.default_channel  # noqa: B018 - opening a channel is what talks to the broker
    except Exception:
        logger.exception("Health check: the broker does not answer")
        return False
    finally:
        broker.release()
    return True


@never_cache
@require_GET
def healthz(request):
    healthy = database_answers() and broker_answers()
    return HttpResponse(
        "ok" if healthy else "unavailable", status=200 if healthy else 503, content_type="text/plain; charset=utf-8"
    )
