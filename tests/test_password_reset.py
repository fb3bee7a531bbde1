"""Password reset is throttled per address and per client, and its e-mail is sent by a Celery task: the
answer is the same, and is reached the same way, whether or not an account uses the address."""

import uuid

import pytest
from django.core import mail

from contributors.profiles import tasks


@pytest.fixture
def fresh(settings):
    """A low limit, and an address and client that no other test (or earlier run on Redis) has used."""
    settings.PASSWORD_RESET_RATE_PER_HOUR = 5
    n = uuid.uuid4().int
    return {"ip": f"10.{n % 250}.{n // 250 % 250}.{n // 62500 % 250 + 1}", "tag": uuid.uuid4().hex[:12]}


def ask(client, email: str, ip: str):
    return client.post("/password-reset/", {"email": email}, REMOTE_ADDR=ip)


@pytest.fixture
def queued(monkeypatch):
    """What the view hands the broker (the outside world here), instead of running the task in-process."""
    calls = []
    monkeypatch.setattr(tasks.send_password_reset, "delay", lambda *args: calls.append(args))
    return calls


def test_it_queues_the_same_task_whether_or_not_the_address_has_an_account(client, personas, queued):
    known = ask(client, "contributor@example.com", "10.9.0.1")
    unknown = ask(client, "nobody-here@example.com", "10.9.0.2")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert [len(args) for args in queued] == [3, 3]
    assert [args[1:] for args in queued] == [("testserver", False)] * 2
    assert mail.outbox == []  # nothing is sent by the request itself


def test_the_task_mails_only_an_address_with_an_account(personas, db):
    tasks.send_password_reset("nobody-here@example.com", "testserver", False)
    assert mail.outbox == []
    tasks.send_password_reset("Contributor@Example.com", "testserver", True)
    assert [m.to for m in mail.outbox] == [["contributor@example.com"]]
    assert "https://testserver/password-reset/" in mail.outbox[0].body


def test_it_throttles_one_address_from_many_clients(client, personas, fresh, queued):
    email = f"{fresh['tag']}@example.com"
    for n in range(5):
        assert ask(client, email, f"10.8.{n}.1").status_code == 302
    refused = ask(client, email, "10.8.99.1")
    assert refused.status_code == 429
    assert "Too many password reset requests" in refused.content.decode()
    assert len(queued) == 5


def test_it_throttles_one_client_asking_for_many_addresses(client, personas, fresh, queued):
    for n in range(5):
        assert ask(client, f"{fresh['tag']}-{n}@example.com", fresh["ip"]).status_code == 302
    assert ask(client, f"{fresh['tag']}-x@example.com", fresh["ip"]).status_code == 429
    assert len(queued) == 5


@pytest.mark.parametrize("email", ["contributor@example.com", "nobody-here@example.com"])
def test_the_throttled_answer_is_the_same_whether_or_not_the_address_has_an_account(
    client, personas, fresh, queued, email, settings
):
    settings.PASSWORD_RESET_RATE_PER_HOUR = 0
    response = ask(client, email, fresh["ip"])
    assert response.status_code == 429
    assert "Too many password reset requests for this address or from your network" in response.content.decode()
    assert queued == []


def test_it_still_sends_the_mail_with_the_task_run_in_process(client, personas):
    assert ask(client, "contributor@example.com", "10.9.0.3").status_code == 302
    assert len(mail.outbox) == 1
