"""The editor's live preview: the unsaved form rendered by the publishing renderers, with the guideline problems
at their place (who may ask is in tests/matrix_editor.py)."""

import pytest
from django.urls import reverse
from django.utils.html import urlize

from contributors.guidelines.services import guideline_rule_create, guideline_update
from drafts.rendering import render_markdown
from publishing.adapters.mastodon import status_length
from publishing.rendering import format_for
from tests.factories import make_channel, make_draft
from tests.matrix_agreements import make_agreement

BODY = "Intro with a [link](https://example.com/spring) and **bold**.\n\n- one\n- two\n\nWe love synergy here."


@pytest.fixture
def personas(shared_personas):
    return shared_personas


def test_it_renders_exactly_what_the_renderer_gives_for_the_unsaved_text(personas, web_client_for):
    draft = make_draft(personas.board, personas.contributor, title="Saved title", body="Saved body.")
    response = web_client_for("contributor").post(
        reverse("draft-preview", args=[draft.pk]), {"title": "Typed title", "body": BODY}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert render_markdown(BODY) in page
    assert "Typed title" in page
    assert "Saved body." not in page
    draft.refresh_from_db()
    assert draft.body == "Saved body."  # a preview saves nothing


def test_it_lists_guideline_problems_with_their_line_and_column_to_jump_to(personas, web_client_for):
    guideline_update(board=personas.board, actor=personas.manager, brand="Be kind.", tone="Warm.")
    guideline_rule_create(
        board=personas.board,
        actor=personas.manager,
        kind="banned_phrase",
        severity="error",
        params={"phrase": "synergy"},
    )
    response = web_client_for("contributor").post(
        reverse("draft-create-preview", args=[personas.board.slug]), {"title": "New", "body": BODY}
    )
    page = response.content.decode()
    # "synergy" is on line 6, from column 9; the problem is a button that puts the cursor there.
    assert 'id="guideline-problems"' in page
    assert 'hx-swap-oob="true"' in page
    assert 'data-field="body"' in page
    assert 'data-line="6" data-column="9"' in page
    assert "Blocks submit" in page


def test_it_refuses_text_no_draft_could_hold_with_400_naming_the_limit(personas, web_client_for, settings):
    response = web_client_for("contributor").post(
        reverse("draft-create-preview", args=[personas.board.slug]), {"title": "Long", "body": "x" * 200_001}
    )
    assert response.status_code == 400
    assert "Not shown: body" in response.content.decode()


def test_it_refuses_a_contributor_who_has_not_signed_the_boards_agreement(personas, web_client_for):
    make_agreement(personas.board)
    client = web_client_for("contributor")
    for name in ("draft-create-preview", "draft-start"):
        # The editor calls these with htmx or fetch: the gate answers a 403 naming the agreement, never a redirect
        # that would take the writer away from what they typed.
        response = client.post(
            reverse(name, args=[personas.board.slug]), {"title": "New", "body": "Hi"}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 403, name
        assert "Launch NDA" in response.content.decode()


def mastodon_channel(board, **settings):
    return make_channel(
        board,
        "mastodon",
        name="Fediverse",
        settings={"url": "https://social.example", **settings},
        credentials={"token": "t"},
    )


def test_it_shows_each_channel_the_text_the_renderer_would_send_it(personas, web_client_for):
    mastodon_channel(personas.board)
    draft = make_draft(personas.board, personas.contributor, title="Saved", body="Saved body.")
    response = web_client_for("contributor").post(
        reverse("draft-preview", args=[draft.pk]), {"title": "T", "body": BODY}
    )
    page = response.content.decode()
    expected = format_for("mastodon", BODY).text
    assert "**" not in expected
    assert "https://example.com/spring" in expected
    # The channel's preview, swapped in place, holds exactly the renderer's text (links made clickable).
    assert 'id="channel-preview-' in page
    fragment = page[page.index('class="post-text">') : page.index('<p class="post-counter')]
    assert "**bold**" not in fragment
    assert "[link]" not in fragment
    assert str(urlize(expected, nofollow=True, autoescape=True)) in fragment
    assert f"{status_length(expected)} / 500" in page


def test_the_counter_turns_red_past_the_platforms_limit(personas, web_client_for):
    mastodon_channel(personas.board, max_characters=20)
    response = web_client_for("contributor").post(
        reverse("draft-create-preview", args=[personas.board.slug]), {"title": "T", "body": "x" * 25}
    )
    page = response.content.decode()
    assert 'class="post-counter over"' in page
    assert "25 / 20" in page
    assert "5 over Mastodon" in page


def test_the_editor_page_shows_a_card_per_active_channel(personas, web_client_for):
    mastodon_channel(personas.board)
    make_channel(
        personas.board,
        "mastodon",
        name="Asleep",
        settings={"url": "https://b.example"},
        credentials={"token": "t"},
        is_active=False,
    )
    draft = make_draft(personas.board, personas.contributor, title="Saved", body="Hello **there**.")
    page = web_client_for("contributor").get(reverse("draft-edit", args=[draft.pk])).content.decode()
    assert page.count('class="channel-card card"') == 1
    assert "Fediverse" in page
    assert "Asleep" not in page
    assert "Hello there." in page


def test_a_channels_own_text_typed_in_the_editor_is_what_its_preview_shows(personas, web_client_for):
    channel = mastodon_channel(personas.board)
    response = web_client_for("contributor").post(
        reverse("draft-create-preview", args=[personas.board.slug]),
        {"title": "T", "body": "The long body.", f"variant_channel_{channel.pk}": "Short _toot_ for the fediverse."},
    )
    page = response.content.decode()
    fragment = page[page.index(f'id="channel-preview-{channel.pk}"') :]
    assert "Short toot for the fediverse." in fragment
    assert "The long body." not in fragment


def test_a_background_save_kept_out_by_the_agreement_gets_json_naming_it_not_a_redirect(personas, web_client_for):
    draft = make_draft(personas.board, personas.contributor, title="Before the NDA")
    make_agreement(personas.board)
    response = web_client_for("contributor").post(
        reverse("draft-autosave", args=[draft.pk]),
        {"title": "Typed", "body": "", "tags": "", "version": draft.version},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 403
    assert "Launch NDA" in response.json()["detail"]
    assert response.json()["agreement_url"].startswith("/agreements/")
