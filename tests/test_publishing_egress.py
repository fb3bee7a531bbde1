"""No server-side request forgery: with PUBLISHING_ALLOW_PRIVATE_ADDRESSES off (production), no platform
call reaches a loopback, private, link-local, multicast, reserved or metadata address, judged on the address
actually connected to; a refused call fails for good, naming the address."""

import socket

import pytest

from publishing import services
from publishing.adapters import base
from publishing.egress import is_public
from publishing.models import Publication
from publishing.standins.email import SmtpStandIn
from publishing.standins.webhook import WebhookStandIn
from tests.factories import advance, make_channel, run_due

SECRET = "egress-test-secret"


@pytest.fixture
def receiver():
    stand_in = WebhookStandIn(secret=SECRET)
    stand_in.url = stand_in.start()
    yield stand_in
    stand_in.stop()


@pytest.fixture
def webhook(personas, receiver):
    """Made while private addresses are allowed (as in development), then the guard is switched on."""
    return make_channel(
        personas.board, "webhook", name="Hook", settings={"url": receiver.url}, credentials={"secret": SECRET}
    )


@pytest.fixture
def production(settings):
    settings.PUBLISHING_ALLOW_PRIVATE_ADDRESSES = False
    base._client = None  # no connection pooled while the guard was off is reused


def test_it_fails_a_publication_to_a_loopback_address_for_good(personas, draft, webhook, receiver, production):
    advance(draft, "scheduled", personas)
    assert run_due() == ["failed"]
    publication = Publication.objects.get(draft=draft)
    assert "Refused to connect to 127.0.0.1" in publication.last_error
    assert publication.attempts == 1  # permanent: not retried
    assert publication.log.get().outcome == "permanent"
    assert receiver.requests == 0


def test_it_refuses_a_connection_test_to_a_loopback_address(personas, webhook, receiver, production):
    worked, message = services.channel_test(channel=webhook, actor=personas.manager)
    assert not worked
    assert "127.0.0.1" in message
    assert receiver.requests == 0


def test_it_checks_the_address_a_name_resolves_to_not_the_name(personas, webhook, receiver, production, monkeypatch):
    """A public-looking name whose DNS answer is loopback (rebinding) is refused at connect time."""
    real = socket.getaddrinfo

    def rebinding_dns(host, *args, **kwargs):
        return real("127.0.0.1" if host == "innocent.example" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_dns)
    webhook.settings = {"url": receiver.url.replace("127.0.0.1", "innocent.example")}
    worked, message = services.channel_test(channel=webhook, actor=personas.manager)
    assert not worked
    assert "innocent.example (127.0.0.1)" in message
    assert receiver.requests == 0


def test_it_refuses_an_smtp_server_on_a_private_address(personas, production, settings):
    stand_in = SmtpStandIn(user="news", password="pw")
    stand_in.start()
    try:
        settings.PUBLISHING_ALLOW_PRIVATE_ADDRESSES = True  # to save it; then production again
        channel = services.channel_create(
            board=personas.board,
            actor=None,
            kind="email",
            name="Letter",
            settings={"host": "localhost", "port": stand_in.port, "security": "none", "user": "news"}
            | {"recipients": ["a@example.com"]},
            credentials={"password": "pw"},
        )
        settings.PUBLISHING_ALLOW_PRIVATE_ADDRESSES = False
        worked, message = services.channel_test(channel=channel, actor=personas.manager)
        assert not worked
        assert "Refused to connect to localhost" in message
        assert stand_in.logins == 0
    finally:
        stand_in.stop()


def test_it_connects_where_private_addresses_are_allowed(personas, webhook, receiver):
    assert services.channel_test(channel=webhook, actor=personas.manager)[0] is True


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "100.64.0.1",  # carrier-grade NAT
        "169.254.169.254",  # cloud metadata
        "0.0.0.0",
        "224.0.0.251",  # multicast
        "240.0.0.1",  # reserved
        "255.255.255.255",
        "::1",
        "fe80::1",
        "fc00::1",
        "fd00:ec2::254",
        "::ffff:127.0.0.1",  # IPv4-mapped
        "2002:7f00:1::",  # 6to4 around 127.0.0.1
        "ff02::1",
    ],
)
def test_it_counts_these_addresses_as_not_public(address):
    assert not is_public(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111"])
def test_it_counts_these_addresses_as_public(address):
    assert is_public(address)
