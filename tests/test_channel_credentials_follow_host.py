"""A channel's credentials go only to the host they were entered for: changing where a channel points
(pages, API, admin) drops them unless new ones come with the change, so "test connection" on the new host
never sends the old token."""

import pytest
from django.urls import reverse

from publishing import services
from publishing.standins.email import SmtpStandIn
from publishing.standins.mastodon import MastodonStandIn
from tests.factories import make_channel

TOKEN = "token-entered-for-the-first-instance"


@pytest.fixture
def first():
    stand_in = MastodonStandIn(token=TOKEN)
    stand_in.start()
    yield stand_in
    stand_in.stop()


@pytest.fixture
def elsewhere():
    """The host a manager (or someone with their session) points the channel at."""
    stand_in = MastodonStandIn(token="the-new-hosts-own-token")
    stand_in.start()
    yield stand_in
    stand_in.stop()


@pytest.fixture
def channel(personas, first):
    return make_channel(
        personas.board, "mastodon", name="Toots", settings={"url": first.base}, credentials={"token": TOKEN}
    )


def tokens_seen(stand_in) -> set[str]:
    return {request["headers"].get("Authorization", "") for request in stand_in.requests}


def test_it_refuses_to_move_a_channel_through_the_api_without_new_credentials(
    channel, first, elsewhere, api_client_for
):
    client = api_client_for("manager")
    answer = client.patch(f"/api/channels/{channel.pk}/", {"settings": {"url": elsewhere.base}}, format="json")
    assert answer.status_code == 400
    assert "enter them again" in str(answer.json()["credentials"])

    client.post(f"/api/channels/{channel.pk}/test/")
    assert f"Bearer {TOKEN}" not in tokens_seen(elsewhere)
    assert tokens_seen(first) == {f"Bearer {TOKEN}"}  # still where it was


def test_it_sends_only_the_new_credentials_to_the_new_host(channel, elsewhere, api_client_for):
    client = api_client_for("manager")
    answer = client.patch(
        f"/api/channels/{channel.pk}/",
        {"settings": {"url": elsewhere.base}, "credentials": {"token": elsewhere.token}},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert client.post(f"/api/channels/{channel.pk}/test/").json()["ok"] is True
    assert tokens_seen(elsewhere) == {f"Bearer {elsewhere.token}"}


def test_it_refuses_to_move_a_channel_from_its_page_without_new_credentials(channel, elsewhere, web_client_for):
    client = web_client_for("manager")
    response = client.post(
        f"/channels/{channel.pk}/", {"name": "Toots", "setting_url": elsewhere.base, "is_active": "on"}
    )
    assert response.status_code == 400
    assert "clears its stored credentials" in response.content.decode()

    client.post(f"/channels/{channel.pk}/test/")
    assert f"Bearer {TOKEN}" not in tokens_seen(elsewhere)


def test_it_refuses_to_move_a_channel_in_the_admin_without_new_credentials(channel, elsewhere, web_client_for):
    client = web_client_for("admin")
    response = client.post(
        reverse("admin:publishing_channel_change", args=[channel.pk]),
        {"name": "Toots", "settings": f'{{"url": "{elsewhere.base}"}}', "new_credentials": "", "is_active": "on"},
    )
    assert response.status_code == 200  # the form again, with the reason
    assert "clears its stored credentials" in response.content.decode()
    channel.refresh_from_db()
    assert channel.settings["url"] != elsewhere.base

    services.channel_test(channel=channel, actor=channel_manager(channel))
    assert f"Bearer {TOKEN}" not in tokens_seen(elsewhere)


def channel_manager(channel):
    from contributors.selectors import board_members

    return next(user for user, role in board_members(channel.board) if role == "manager")


def test_it_drops_optional_credentials_when_the_smtp_host_changes(personas):
    """The SMTP password is optional: moving the channel keeps it working, without the old password."""
    first, second = SmtpStandIn(user="news", password="pw"), SmtpStandIn(user="news", password="pw")
    first.start(), second.start()
    try:
        channel = services.channel_create(
            board=personas.board,
            actor=None,
            kind="email",
            name="Letter",
            settings={
                "host": "127.0.0.1",
                "port": first.port,
                "security": "none",
                "user": "news",
                "recipients": ["a@example.com"],
            },
            credentials={"password": "pw"},
        )
        services.channel_update(
            channel=channel, actor=personas.manager, settings={**channel.settings, "port": second.port}
        )
        channel.refresh_from_db()
        assert channel.credentials == {}
        worked, _ = services.channel_test(channel=channel, actor=personas.manager)
        assert not worked
        assert second.logins == 0  # the stored password never reached the new server
    finally:
        first.stop(), second.stop()
