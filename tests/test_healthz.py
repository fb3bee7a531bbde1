"""GET /healthz/: 200 when the database and the broker answer, 503 when either does not; no data either way."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(settings.BASE_DIR)
REDIS_URL = os.environ.get("OPS_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens here once the socket is closed


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


def test_it_answers_ok_without_signing_in(db):
    response = Client().get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.skipif(not redis_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_it_answers_ok_with_a_redis_broker(db, settings):
    settings.CELERY_BROKER_URL = REDIS_URL
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    assert Client().get("/healthz/").status_code == 200


def test_it_answers_503_when_the_broker_does_not(db, settings, caplog):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = Client().get("/healthz/")
    assert response.status_code == 503
    assert response.content == b"unavailable"  # which part failed, and why, is for the log only
    assert "the broker does not answer" in caplog.text


def test_it_answers_503_when_the_database_does_not(tmp_path):
    """In a process of its own whose DATABASE_URL points at a closed port."""
    script = "import django; django.setup(); from django.test import Client; print(Client().get('/healthz/'))"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cocreate.settings_test",
        "DATABASE_URL": f"postgres://cocreate@127.0.0.1:{closed_port()}/cocreate",
        "COCREATE_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert "status_code=503" in result.stdout, result.stdout + result.stderr
    assert "the database does not answer" in result.stderr


def test_it_takes_only_get(db):
    assert Client().post("/healthz/").status_code == 405


def test_it_answers_plain_http_probes_where_every_other_page_redirects_to_https(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/login/").status_code == 301
    response = Client().get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok"
