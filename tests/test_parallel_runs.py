"""The suite runs in parallel (pytest-xdist): each worker must have its own Redis database, as pytest-django
gives it its own test database, and the processes it starts must share that worker's databases."""

import os
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from cocreate.settings_test import redis_url_for_worker


def test_each_worker_counts_up_from_the_given_database():
    assert redis_url_for_worker("redis://127.0.0.1:6379/8", "gw0") == "redis://127.0.0.1:6379/8"
    assert redis_url_for_worker("redis://127.0.0.1:6379/8", "gw3") == "redis://127.0.0.1:6379/11"
    assert redis_url_for_worker("redis://127.0.0.1:6379", "gw1") == "redis://127.0.0.1:6379/1"


def test_it_wraps_at_the_last_of_redis_s_sixteen_databases():
    assert redis_url_for_worker("redis://127.0.0.1:6379/15", "gw1") == "redis://127.0.0.1:6379/0"


def test_it_keeps_the_password_host_and_options():
    url = "redis://:secret@cache.internal:6380/2?socket_timeout=5"
    assert redis_url_for_worker(url, "gw2") == "redis://:secret@cache.internal:6380/4?socket_timeout=5"


def test_this_worker_uses_its_own_redis_database(worker_id):
    if not settings.REDIS_URL or worker_id == "master":
        pytest.skip("only under pytest-xdist with REDIS_URL")
    assert redis_url_for_worker(settings.TEST_REDIS_BASE_URL, worker_id) == settings.REDIS_URL
    assert settings.CELERY_BROKER_URL == settings.REDIS_URL
    assert settings.CACHES["default"]["LOCATION"] == settings.REDIS_URL
    assert os.environ["REDIS_URL"] == settings.REDIS_URL  # what the processes it starts inherit


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_started_celery_worker_uses_the_same_redis_database(worker):
    """Started without PYTEST_XDIST_WORKER, the worker process keeps the database this test runs on."""
    where = urlsplit(settings.REDIS_URL)  # Celery's banner masks the password (`redis://:**@host:port/db`)
    assert re.search(rf"transport:\s+redis://\S*{re.escape(where.netloc.split('@')[-1] + where.path)}\s", worker.log())
