"""Settings for the test suite: the real settings with a throwaway key, fast hashing and no broker."""

import os
from urllib.parse import urlsplit

REDIS_DATABASES = 16  # Redis's default `databases`


def redis_url_for_worker(url: str, worker: str) -> str:
    """The Redis database of one pytest-xdist worker (gw0, gw1...): the URL's database plus the worker's number,
    wrapping at Redis's 16 databases, so that parallel workers never purge or read each other's queue."""
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    number = (base + int(worker.removeprefix("gw"))) % REDIS_DATABASES
    return parts._replace(path=f"/{number}").geturl()


# pytest-django gives each xdist worker its own test database; this gives it its own Redis database. Processes
# the tests start (Celery workers) get the moved URL and no PYTEST_XDIST_WORKER, so they do not move it again.
TEST_REDIS_BASE_URL = os.environ.get("REDIS_URL", "")  # as given, before a worker's move
if os.environ.get("REDIS_URL") and os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["REDIS_URL"] = redis_url_for_worker(os.environ["REDIS_URL"], os.environ["PYTEST_XDIST_WORKER"])

os.environ.setdefault("SECRET_KEY", "test-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGH")
os.environ.setdefault("DEBUG", "0")

from cocreate.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STATIC_ROOT = None  # whitenoise serves from the finders in tests
WHITENOISE_USE_FINDERS = True
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
SITE_URL = "http://testserver"  # links in e-mails
# Tasks run in-process unless an integration test points Celery at the real broker; a real worker process
# started by such a test sets CELERY_TASK_ALWAYS_EAGER=0 to consume from the broker.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)  # noqa: F405
CELERY_TASK_EAGER_PROPAGATES = True
# Every test client comes from 127.0.0.1 and the cache outlives a test: the password reset throttle would
# trip on the sixth test that asks. tests/test_password_reset.py lowers it, with addresses of its own.
PASSWORD_RESET_RATE_PER_HOUR = 10_000
# The platform stand-ins listen on 127.0.0.1; tests of the egress guard turn this off.
PUBLISHING_ALLOW_PRIVATE_ADDRESSES = True
