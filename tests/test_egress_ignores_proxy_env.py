"""Platform calls ignore HTTP_PROXY / HTTPS_PROXY: they connect straight to the checked address (through a proxy
the address check would see only the proxy). A proxy in the environment changes nothing, and a private
address stays refused."""

import pytest

from publishing.adapters import base
from publishing.adapters.base import AdapterError, send
from publishing.standins.webhook import WebhookStandIn

DEAD_PROXY = "http://127.0.0.1:9"  # nothing listens there: a call through it would fail


@pytest.fixture
def proxy_in_the_environment(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(name, DEAD_PROXY)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.setattr(base, "_client", None)  # a client built with the proxy set


def test_a_call_goes_straight_to_the_platform_with_a_proxy_set(proxy_in_the_environment):
    receiver = WebhookStandIn(secret="s")
    url = receiver.start()
    try:
        send("POST", url, platform="Receiver", json={})  # answered by the receiver, not a dead proxy
        assert receiver.requests == 1
    finally:
        receiver.stop()


def test_a_private_address_stays_refused_with_a_proxy_set(proxy_in_the_environment, settings):
    settings.PUBLISHING_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(AdapterError) as refused:
        send("GET", "http://10.0.0.1/", platform="Receiver")
    assert refused.value.permanent
