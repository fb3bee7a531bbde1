"""Only http(s) URLs are stored or shown as links to a published post, whatever the platform answers."""

import pytest
from django.utils import timezone

from publishing import services
from publishing.links import http_url
from publishing.models import Publication
from publishing.standins.server import Reply, StandInServer
from tests.factories import advance, run_due

HOSTILE = "javascript:alert(document.cookie)"


class HostileReceiver(StandInServer):
    """A webhook receiver that answers a script URL as the post's address."""

    methods = ("POST",)

    def respond(self, method, path, headers, body) -> Reply:
        return Reply(200, {"id": "evil-1", "url": HOSTILE})


@pytest.fixture
def hostile():
    stand_in = HostileReceiver()
    stand_in.url = stand_in.start_server() + "/hook"
    yield stand_in
    stand_in.stop()


def test_it_does_not_store_a_script_url_a_platform_answers(personas, draft, hostile, web_client_for):
    services.channel_create(
        board=personas.board,
        actor=None,
        kind="webhook",
        name="Hostile",
        settings={"url": hostile.url},
        credentials={"secret": "s"},
    )
    advance(draft, "scheduled", personas)
    assert run_due() == ["published"]
    publication = Publication.objects.get(draft=draft)
    assert publication.platform_post_id == "evil-1"
    assert publication.platform_url == ""
    for page in (f"/drafts/{draft.pk}/", f"/boards/{personas.board.slug}/publications/"):
        assert "javascript:" not in web_client_for("manager").get(page).content.decode()


def test_it_never_renders_a_stored_script_url_as_a_link(personas, draft, web_client_for):
    """A row written before the check, or edited outside the app."""
    channel = services.channel_create(
        board=personas.board,
        actor=None,
        kind="webhook",
        name="Hook",
        settings={"url": "https://hooks.example/in"},
        credentials={"secret": "s"},
    )
    Publication.objects.create(
        draft=draft, channel=channel, due_at=timezone.now(), state="published", platform_url="data:text/html,<b>x"
    )
    Publication.objects.filter(draft=draft).update(platform_url=HOSTILE)
    for page in (f"/drafts/{draft.pk}/", f"/boards/{personas.board.slug}/publications/"):
        body = web_client_for("manager").get(page).content.decode()
        assert "javascript:" not in body
        assert "Hook" in body


@pytest.mark.parametrize(
    "value",
    [
        HOSTILE,
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,x",
        "//evil.example/x",
        "garbage",
        "https://",
        "https://ex ample.com/",
        "https://example.com/" + "a" * 500,
        None,
        42,
    ],
)
def test_it_keeps_no_other_kind_of_url(value):
    assert http_url(value) == ""


def test_it_keeps_http_and_https_urls():
    assert http_url("https://mastodon.example/@brand/1") == "https://mastodon.example/@brand/1"
    assert http_url("http://blog.example/?p=3") == "http://blog.example/?p=3"
