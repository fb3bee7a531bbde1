"""Each kind's settings and credentials are judged by the fields its adapter declares (types, URL schemes:
https only in production), the same way in the channel pages, the API and the admin; the per-kind form never
shows a typed credential back."""

import pytest
from django.urls import reverse

from publishing.models import Channel

TYPED_SECRET = "typed-secret-never-shown-back"


@pytest.fixture
def production(settings):
    settings.PUBLISHING_ALLOW_PRIVATE_ADDRESSES = False


def create(client, board, **settings):
    return client.post(
        "/api/channels/",
        {"board": board.pk, "kind": "mastodon", "name": "Toots", "settings": settings, "credentials": {"token": "t"}},
        format="json",
    )


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"url": "http://mastodon.example"}, "url: must be an https address"),
        ({"url": "javascript:alert(1)"}, "url: must be an https address"),
        ({"url": "https://10.0.0.7"}, "url: 10.0.0.7 is not a public address."),
        ({"url": "https://user:pw@mastodon.example"}, "must not hold a user name or password"),
        ({"url": "https://mastodon.example", "max_characters": "many"}, "max_characters: must be a whole number"),
        ({"url": "https://mastodon.example", "visibility": "secret"}, "visibility: must be one of public"),
        ({"url": "https://mastodon.example", "colour": "red"}, "colour: not a setting of this kind"),
    ],
)
def test_the_api_refuses_settings_of_the_wrong_type_or_scheme(personas, api_client_for, production, values, problem):
    answer = create(api_client_for("manager"), personas.board, **values)
    assert answer.status_code == 400
    assert problem in str(answer.json()["settings"]), answer.json()
    assert not Channel.objects.exists()


def test_the_api_stores_values_in_the_type_the_adapter_reads(personas, api_client_for, production):
    answer = create(api_client_for("manager"), personas.board, url="https://mastodon.example", max_characters="700")
    assert answer.status_code == 201, answer.json()
    assert Channel.objects.get().settings == {"url": "https://mastodon.example", "max_characters": 700}


def test_plain_http_is_allowed_where_private_addresses_are(personas, api_client_for):
    assert create(api_client_for("manager"), personas.board, url="http://127.0.0.1:9").status_code == 201


def test_the_page_shows_the_problem_at_its_field_and_never_the_typed_credential(personas, web_client_for, production):
    response = web_client_for("manager").post(
        f"/boards/{personas.board.slug}/channels/",
        {
            "kind": "wordpress",
            "name": "Blog",
            "setting_url": "ftp://blog.example",
            "setting_categories": "3, x",
            "credential_username": "editor",
            "credential_application_password": TYPED_SECRET,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "url: must be an https address" in page
    assert "categories: must be a whole number" in page
    assert TYPED_SECRET not in page
    assert not Channel.objects.exists()


def test_the_page_stores_the_form_as_typed_settings(personas, web_client_for, production):
    response = web_client_for("manager").post(
        f"/boards/{personas.board.slug}/channels/",
        {
            "kind": "wordpress",
            "name": "Blog",
            "setting_url": "https://blog.example",
            "setting_categories": "3, 7",
            "setting_plain_permalinks": "true",
            "credential_username": "editor",
            "credential_application_password": TYPED_SECRET,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    channel = Channel.objects.get()
    assert channel.settings == {"url": "https://blog.example", "categories": [3, 7], "plain_permalinks": True}
    assert channel.credentials == {"username": "editor", "application_password": TYPED_SECRET}


def test_the_admin_judges_settings_by_the_same_fields(personas, web_client_for, production):
    response = web_client_for("admin").post(
        reverse("admin:publishing_channel_add"),
        {
            "board": personas.board.pk,
            "kind": "webhook",
            "name": "Hook",
            "settings": '{"url": "http://hooks.example/in", "receiver_deduplicates": "sometimes"}',
            "new_credentials": '{"secret": "s"}',
            "is_active": "on",
        },
    )
    assert response.status_code == 200  # the form again, with the reasons
    page = response.content.decode()
    assert "url: must be an https address" in page
    assert "receiver_deduplicates: must be true or false." in page
    assert not Channel.objects.exists()
