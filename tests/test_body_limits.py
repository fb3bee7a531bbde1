"""Every request body has a limit, multipart included: 413 before anything reads it.

Through Django's test client for the rules, and through real servers over a raw socket for what the client
cannot show: a refusal that comes before the body is sent, and a chunked body cut off at the limit.
"""

import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from drafts.models import DraftImage
from tests.factories import make_image_bytes

ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def small_limits(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000
    settings.DRAFT_IMAGE_MAX_BYTES = 20_000
    settings.PROFILE_AVATAR_MAX_BYTES = 5_000


def multipart(**fields) -> bytes:
    return encode_multipart(BOUNDARY, fields)


def test_it_refuses_a_multipart_body_over_the_limit_to_the_login_page_with_413(db, small_limits):
    response = Client().post("/login/", {"username": "x", "password": "y", "junk": "z" * 5_000})
    assert response.status_code == 413
    assert "limit is 2,000 bytes" in response.content.decode()


def test_the_login_page_still_answers_a_small_body(db, small_limits):
    assert Client().post("/login/", {"username": "x", "password": "y"}).status_code == 200  # wrong password


def test_image_uploads_get_the_file_limit_plus_the_form_limit(api_client_for, draft, small_limits):
    client = api_client_for("contributor")
    url = f"/api/drafts/{draft.pk}/images/"
    within = client.post(url, {"file": io.BytesIO(b"x" * 15_000), "alt_text": ""}, format="multipart")
    assert within.status_code == 400  # read and judged by the service: not an image
    over = client.post(url, {"file": io.BytesIO(b"x" * 23_000), "alt_text": ""}, format="multipart")
    assert over.status_code == 413
    assert "limit is 22,000 bytes" in over.json()["detail"]


def test_the_editor_page_takes_the_image_limit_and_the_profile_the_avatar_limit(web_client_for, draft, small_limits):
    client = web_client_for("contributor")
    image = client.post(f"/drafts/{draft.pk}/images/", {"file": io.BytesIO(b"x" * 15_000)})
    assert image.status_code != 413
    assert client.post(f"/drafts/{draft.pk}/images/", {"file": io.BytesIO(b"x" * 23_000)}).status_code == 413
    assert client.post("/profile/", {"avatar": io.BytesIO(b"x" * 8_000)}).status_code == 413
    # Elsewhere the form limit alone: an image sent to the comment form is refused.
    assert client.post(f"/drafts/{draft.pk}/comments/", {"body": io.BytesIO(b"x" * 6_000)}).status_code == 413


def chunked_upload(client, url: str, body: bytes):
    """A body sent without Content-Length, as a server that decodes chunked framing (gunicorn) passes it."""
    return client.generic(
        "POST",
        url,
        content_type=MULTIPART_CONTENT,
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": io.BytesIO(body), "wsgi.input_terminated": True},
    )


def test_it_hands_a_chunked_body_within_the_limit_to_the_view(api_client_for, draft, small_limits):
    body = multipart(file=io.BytesIO(make_image_bytes()), alt_text="A pink square")
    response = chunked_upload(api_client_for("contributor"), f"/api/drafts/{draft.pk}/images/", body)
    assert response.status_code == 201, response.content
    assert DraftImage.objects.get().alt_text == "A pink square"


def test_it_cuts_off_a_chunked_body_that_runs_past_the_limit(api_client_for, draft, small_limits):
    body = multipart(file=io.BytesIO(b"x" * 30_000), alt_text="")
    response = chunked_upload(api_client_for("contributor"), f"/api/drafts/{draft.pk}/images/", body)
    assert response.status_code == 413
    assert "over the limit of 22,000 bytes" in response.json()["detail"]


# --- Real servers, raw sockets -----------------------------------------------------------------------


def http_head(host: str, port: int, lines: list[str]) -> socket.socket:
    sock = socket.create_connection((host, port), timeout=10)
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    return sock


def read_status(sock: socket.socket) -> int:
    answer = b""
    while b"\r\n" not in answer:
        part = sock.recv(4096)
        if not part:
            break
        answer += part
    return int(answer.split(b" ", 2)[1])


HUGE = 300 * 1024 * 1024


def login_head(host: str, **headers: str) -> list[str]:
    content_type = f"Content-Type: {MULTIPART_CONTENT}"
    return ["POST /login/ HTTP/1.1", f"Host: {host}", content_type, *(f"{k}: {v}" for k, v in headers.items())]


def test_the_live_server_refuses_a_declared_300_mb_body_before_it_is_sent(live_server):
    host, port = live_server.thread.host, live_server.thread.port
    with http_head(host, port, login_head(host, **{"Content-Length": str(HUGE)})) as sock:
        assert read_status(sock) == 413  # nothing of the body was sent


def test_the_live_server_refuses_a_chunked_body_it_cannot_decode(live_server):
    """Django's own server passes chunk framing through undecoded (it would read the body as empty)."""
    host, port = live_server.thread.host, live_server.thread.port
    with http_head(host, port, login_head(host, **{"Transfer-Encoding": "chunked"})) as sock:
        assert read_status(sock) == 411


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    """The production server, on the test settings; no database is needed for what is asked of it."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cocreate.settings_test",
        "COCREATE_VAR_DIR": str(tmp_path_factory.mktemp("gunicorn-var")),
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "cocreate.wsgi:application", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def send_chunks(sock: socket.socket, total: int, size: int = 64 * 1024) -> int:
    """Send `total` bytes in chunks until the server stops taking them; the bytes it took."""
    sent = 0
    chunk = f"{size:x}\r\n".encode() + b"x" * size + b"\r\n"
    try:
        while sent < total:
            sock.sendall(chunk)
            sent += size
        sock.sendall(b"0\r\n\r\n")
    except OSError:
        pass  # the server answered and closed: the rest of the body is never read
    return sent


def test_gunicorn_cuts_off_a_chunked_300_mb_body_at_the_limit(gunicorn):
    with http_head("127.0.0.1", gunicorn, login_head("127.0.0.1", **{"Transfer-Encoding": "chunked"})) as sock:
        sock.settimeout(10)
        sent = send_chunks(sock, HUGE)
        assert read_status(sock) == 413
    assert sent < HUGE


def test_gunicorn_hands_a_small_chunked_body_to_the_page(gunicorn):
    body = b"username=x&password=y"
    lines = ["POST /login/ HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/x-www-form-urlencoded"]
    with http_head("127.0.0.1", gunicorn, [*lines, "Transfer-Encoding: chunked"]) as sock:
        sock.sendall(f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n")
        assert read_status(sock) == 403  # CSRF read the form and found no token
