"""No existence oracle: to an outsider, a channel or publication on someone else's board and one that does
not exist get the same 404, in the API and the pages."""

import pytest
from django.utils import timezone

from publishing import services
from publishing.models import Publication


@pytest.fixture
def elsewhere(personas):
    """A channel and a publication on a board the outsider has no role on."""
    channel = services.channel_create(
        board=personas.board,
        actor=None,
        kind="webhook",
        name="Hook",
        settings={"url": "https://hooks.example/in"},
        credentials={"secret": "s"},
    )
    from tests.factories import make_draft

    draft = make_draft(personas.board, personas.contributor, title="Hidden")
    publication = Publication.objects.create(draft=draft, channel=channel, due_at=timezone.now())
    return channel, publication


MISSING = 987654


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/channels/{channel}/"),
        ("patch", "/api/channels/{channel}/"),
        ("post", "/api/channels/{channel}/test/"),
        ("get", "/api/publications/{publication}/"),
        ("post", "/api/publications/{publication}/retry/"),
        ("post", "/api/publications/{publication}/check/"),
    ],
)
def test_the_api_answers_one_404_for_hidden_and_missing(elsewhere, api_client_for, method, url):
    channel, publication = elsewhere
    client = api_client_for("outsider")

    def answer(channel_id, publication_id):
        response = getattr(client, method)(
            url.format(channel=channel_id, publication=publication_id), {}, format="json"
        )
        return response.status_code, response.json()

    assert answer(channel.pk, publication.pk) == answer(MISSING, MISSING)
    assert answer(MISSING, MISSING)[0] == 404


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/channels/{channel}/"),
        ("post", "/channels/{channel}/test/"),
        ("post", "/publications/{publication}/retry/"),
        ("post", "/publications/{publication}/check/"),
    ],
)
def test_the_pages_answer_one_404_for_hidden_and_missing(elsewhere, web_client_for, method, url):
    channel, publication = elsewhere
    client = web_client_for("outsider")

    def answer(channel_id, publication_id):
        response = getattr(client, method)(url.format(channel=channel_id, publication=publication_id))
        page = response.content.decode()
        return response.status_code, page[page.index("<main") : page.index("</main>")]

    assert answer(channel.pk, publication.pk) == answer(MISSING, MISSING)
    assert answer(MISSING, MISSING)[0] == 404
