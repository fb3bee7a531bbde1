"""Settings for the test suite: the real settings with a throwaway key, fast hashing and no broker."""

import os

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
# Tasks run in-process unless an integration test points Celery at the real broker; a real worker process
# started by such a test sets CELERY_TASK_ALWAYS_EAGER=0 to consume from the broker.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)  # noqa: F405
CELERY_TASK_EAGER_PROPAGATES = True
# Every test client comes from 127.0.0.1 and the cache outlives a test: the password reset throttle would
# trip on the sixth test that asks. tests/test_password_reset.py lowers it, with addresses of its own.
PASSWORD_RESET_RATE_PER_HOUR = 10_000
# The platform stand-ins listen on 127.0.0.1; tests of the egress guard turn this off.
PUBLISHING_ALLOW_PRIVATE_ADDRESSES = True
