"""A browser sends a textarea's line breaks as CRLF; the editor keeps the text with LF, as the API does, so the
platforms that take the source and the diffs between revisions never see the difference."""

import pytest
from django.urls import reverse

from drafts.models import Draft
from tests.factories import make_channel, make_draft


@pytest.fixture
def personas(shared_personas):
    return shared_personas


def test_the_editor_stores_a_textareas_crlf_as_lf(personas, web_client_for):
    draft = make_draft(personas.board, personas.contributor, title="Lines")
    channel = make_channel(
        personas.board, "mastodon", name="Fedi", settings={"url": "https://social.example"}, credentials={"token": "t"}
    )
    response = web_client_for("contributor").post(
        reverse("draft-autosave", args=[draft.pk]),
        {
            "title": draft.title,
            "body": "First paragraph.\r\n\r\nSecond.\r\n",
            "tags": "",
            "version": draft.version,
            f"variant_channel_{channel.pk}": "Short\r\ntext",
        },
    )
    assert response.status_code == 200, response.content
    draft = Draft.objects.get(pk=draft.pk)
    assert draft.body == "First paragraph.\n\nSecond.\n"
    assert draft.variants == {f"channel:{channel.pk}": "Short\ntext"}
