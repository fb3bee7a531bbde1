"""The editor's live preview: the unsaved form rendered by the publishing renderers, with the guideline problems
at their place (who may ask is in tests/matrix_editor.py)."""

import pytest
from django.urls import reverse

from contributors.guidelines.services import guideline_rule_create, guideline_update
from drafts.rendering import render_markdown
from tests.factories import make_draft
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
    assert "Typed title" in page and "Saved body." not in page
    draft.refresh_from_db()
    assert draft.body == "Saved body."  # a preview saves nothing


def test_it_lists_guideline_problems_with_their_line_and_column_to_jump_to(personas, web_client_for):
    guideline_update(board=personas.board, actor=personas.manager, brand="Be kind.", tone="Warm.")
    guideline_rule_create(
        board=personas.board, actor=personas.manager, kind="banned_phrase", severity="error", params={"phrase": "synergy"}
    )
    response = web_client_for("contributor").post(
        reverse("draft-create-preview", args=[personas.board.slug]), {"title": "New", "body": BODY}
    )
    page = response.content.decode()
    # "synergy" is on line 6, from column 9; the problem is a button that puts the cursor there.
    assert 'id="guideline-problems"' in page and 'hx-swap-oob="true"' in page
    assert 'data-field="body"' in page and 'data-line="6" data-column="9"' in page
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
        response = client.post(reverse(name, args=[personas.board.slug]), {"title": "New", "body": "Hi"})
        assert response.status_code == 403, name
        assert "Launch NDA" in response.content.decode()
