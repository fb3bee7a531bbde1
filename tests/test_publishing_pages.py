"""Channel management and the publication log, through the pages and the API."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from publishing.models import Channel, Publication
from publishing.standins.webhook import WebhookStandIn
from tests.factories import make_channel

SECRET = "very-secret-signing-key"


@pytest.fixture
def receiver():
    stand_in = WebhookStandIn(secret=SECRET)
    stand_in.url = stand_in.start()
    yield stand_in
    stand_in.stop()


@pytest.fixture
def channel(personas, receiver):
    return make_channel(
        personas.board, "webhook", name="Site hook", settings={"url": receiver.url}, credentials={"secret": SECRET}
    )


def test_it_adds_a_channel_from_the_page_and_never_shows_the_secret(personas, web_client_for, receiver):
    client = web_client_for("manager")
    response = client.post(
        f"/boards/{personas.board.slug}/channels/",
        {
            "kind": "webhook",
            "name": "Hook",
            "setting_url": receiver.url,
            "credential_secret": SECRET,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    channel = Channel.objects.get(name="Hook")
    assert channel.credentials == {"secret": SECRET}
    for url in (f"/boards/{personas.board.slug}/channels/", f"/channels/{channel.pk}/"):
        assert SECRET not in client.get(url).content.decode()


def test_it_keeps_the_stored_credentials_when_the_field_is_left_empty(channel, web_client_for):
    response = web_client_for("manager").post(
        f"/channels/{channel.pk}/",
        {
            "name": "Renamed",
            "setting_url": channel.settings["url"],
            "credential_secret": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.name == "Renamed"
    assert channel.credentials == {"secret": SECRET}


def test_it_explains_bad_channel_input(personas, web_client_for):
    response = web_client_for("manager").post(f"/boards/{personas.board.slug}/channels/", {"kind": "fax", "name": ""})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    response = web_client_for("manager").post(
        f"/boards/{personas.board.slug}/channels/",
        {"kind": "webhook", "name": "Hook", "setting_url": "not a url", "setting_receiver_deduplicates": "maybe"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "url: must be an https or http address" in page
    assert "Select a valid choice" in page
    assert not Channel.objects.exists()


def test_it_tests_a_connection_and_says_what_happened(channel, web_client_for, receiver):
    response = web_client_for("manager").post(f"/channels/{channel.pk}/test/", follow=True)
    assert "accepted a signed ping" in response.content.decode()
    assert receiver.requests == 1
    assert receiver.posts[0]["event"] == "ping"

    channel.credentials = {"secret": "wrong"}
    channel.save()
    response = web_client_for("manager").post(f"/channels/{channel.pk}/test/", follow=True)
    assert "answered 401" in response.content.decode()


def test_it_never_returns_credentials_from_the_api(channel, api_client_for):
    body = api_client_for("manager").get(f"/api/channels/{channel.pk}/").json()
    assert "credentials" not in body
    assert body["has_credentials"] is True
    assert SECRET not in json.dumps(body)


def test_it_creates_and_updates_channels_through_the_api(personas, api_client_for):
    client = api_client_for("manager")
    created = client.post(
        "/api/channels/",
        {
            "board": personas.board.pk,
            "kind": "webhook",
            "name": "API hook",
            "settings": {"url": "https://e.example/h"},
            "credentials": {"secret": "x"},
        },
        format="json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    updated = client.patch(f"/api/channels/{pk}/", {"is_active": False}, format="json")
    assert updated.status_code == 200
    assert Channel.objects.get(pk=pk).is_active is False
    assert Channel.objects.get(pk=pk).credentials == {"secret": "x"}
    duplicate = client.post(
        "/api/channels/",
        {
            "board": personas.board.pk,
            "kind": "webhook",
            "name": "API hook",
            "settings": {"url": "https://e.example/other"},
            "credentials": {"secret": "y"},
        },
        format="json",
    )
    assert duplicate.status_code == 400
    assert "name" in str(duplicate.json()).lower(), duplicate.json()


def test_it_names_the_settings_and_credentials_a_kind_needs(personas, api_client_for, web_client_for):
    answer = api_client_for("manager").post(
        "/api/channels/", {"board": personas.board.pk, "kind": "wordpress", "name": "Blog"}, format="json"
    )
    assert answer.status_code == 400
    body = answer.json()
    assert "url" in str(body["settings"]), body
    assert "application_password" in str(body["credentials"]), body
    assert not Channel.objects.filter(name="Blog").exists()
    page = web_client_for("manager").get(f"/boards/{personas.board.slug}/channels/").content.decode()
    assert 'name="setting_url"' in page  # the webhook's form, the default kind
    page = web_client_for("manager").get(f"/boards/{personas.board.slug}/channels/?kind=pinterest").content.decode()
    assert 'name="setting_board_id"' in page
    assert 'name="credential_token"' in page
    assert 'type="password"' in page


def test_it_filters_the_publication_log(personas, channel, draft, web_client_for, api_client_for):
    Publication.objects.create(draft=draft, channel=channel, due_at=timezone.now(), state="failed", last_error="Nope")
    page = web_client_for("reviewer").get(f"/boards/{personas.board.slug}/publications/?state=failed")
    assert "Nope" in page.content.decode()
    page = web_client_for("reviewer").get(f"/boards/{personas.board.slug}/publications/?state=published")
    assert "Nope" not in page.content.decode()
    assert web_client_for("reviewer").get(f"/boards/{personas.board.slug}/publications/?channel=x").status_code == 400
    listed = api_client_for("reviewer").get(f"/api/publications/?board={personas.board.pk}&state=failed").json()
    assert [p["last_error"] for p in listed["results"]] == ["Nope"]
    assert api_client_for("reviewer").get("/api/publications/?state=lost").status_code == 400


def test_it_shows_where_a_draft_went_out_on_its_page(personas, channel, draft, web_client_for):
    Publication.objects.create(
        draft=draft,
        channel=channel,
        due_at=timezone.now(),
        state="published",
        platform_url="https://receiver.example/posts/7",
    )
    page = web_client_for("contributor").get(f"/drafts/{draft.pk}/").content.decode()
    assert "Site hook" in page
    assert "https://receiver.example/posts/7" in page


@pytest.mark.parametrize("url", ["/boards/{slug}/publications/", "/api/publications/", "/api/channels/"])
def test_it_lists_channels_and_publications_in_a_constant_number_of_queries(
    personas, draft, web_client_for, api_client_for, url
):
    def add(count: int) -> None:
        for _ in range(count):
            made = make_channel(
                personas.board,
                "webhook",
                name=f"Hook {Channel.objects.count()}",
                settings={"url": "http://127.0.0.1:9/"},
                credentials={"secret": SECRET},
            )
            Publication.objects.create(draft=draft, channel=made, due_at=timezone.now())

    client = web_client_for("manager") if url.startswith("/boards") else api_client_for("manager")
    path = url.format(slug=personas.board.slug)
    client.get(path)  # warm per-process caches
    add(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    add(10)
    with CaptureQueriesContext(connection) as many:
        assert client.get(path).status_code == 200
    assert len(many) == len(few)
