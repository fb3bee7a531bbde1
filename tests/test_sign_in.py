"""Outsiders hold accounts now: sign-in is throttled, passwords can be reset, and no page tells whether an
address or username has an account."""

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.utils import timezone

from tests.factories import PASSWORD


def attempt(client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def lock_out(client, username: str, ip: str = "10.0.0.1") -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, username, "wrong-guess", ip)


def test_it_signs_in_with_the_right_password(client, personas):
    response = attempt(client, "contributor", PASSWORD)
    assert response.status_code == 302


def test_it_locks_out_a_guesser_even_with_the_right_password(client, personas):
    lock_out(client, "contributor")
    response = attempt(client, "contributor", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_does_not_lock_the_real_user_out_from_another_address(client, personas):
    lock_out(client, "contributor", ip="10.0.0.66")
    response = attempt(client, "contributor", PASSWORD, ip="10.0.0.1")
    assert response.status_code == 302


def test_it_ignores_a_forged_forwarded_for_header(client, personas):
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/login/",
            {"username": "contributor", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    assert attempt(client, "contributor", PASSWORD, ip="10.0.0.1").status_code == 429


def test_it_ends_the_lockout_after_the_cool_off(client, personas):
    lock_out(client, "contributor")
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timezone.timedelta(seconds=1)
    )
    assert attempt(client, "contributor", PASSWORD).status_code == 302


def test_it_throttles_the_token_api_too(client, personas):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/api/auth/token/", {"username": "contributor", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    response = client.post(
        "/api/auth/token/", {"username": "contributor", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429


def test_it_answers_an_unknown_user_exactly_like_a_wrong_password(client, personas):
    wrong_password = attempt(client, "contributor", "nope", ip="10.0.0.2")
    unknown_user = attempt(client, "nobody-here", "nope", ip="10.0.0.3")
    assert wrong_password.status_code == unknown_user.status_code == 200

    def error(response):
        return re.search(r'<p class="login-error">(.*?)</p>', response.content.decode(), re.S).group(1)

    assert error(wrong_password) == error(unknown_user)


@pytest.mark.parametrize("email", ["contributor@example.com", "no-account@example.com"])
def test_it_shows_the_same_page_whether_or_not_the_address_has_an_account(client, personas, email):
    response = client.post("/password-reset/", {"email": email}, follow=True)
    assert response.status_code == 200
    assert "If an account uses that address" in response.content.decode()
    assert len(mail.outbox) == (1 if email.startswith("contributor") else 0)


def test_it_resets_a_password_by_e_mail_once(client, personas):
    client.post("/password-reset/", {"email": "contributor@example.com"})
    link = re.search(r"https?://[^/]+(/password-reset/\S+/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"}
    )
    assert response.status_code == 302
    assert attempt(client, "contributor", "a-new-long-passphrase").status_code == 302
    reused = client.get(link, follow=True)
    assert "This link does not work" in reused.content.decode()
