"""Comments on a passage stay on that passage while the text around it changes (drafts.anchoring)."""

import pytest
from django.core.exceptions import ValidationError

from drafts import anchoring
from drafts.selectors import comment_threads_located
from drafts.services import comment_create, draft_update
from tests.factories import make_draft

BODY = (
    "Our new app launches on **Monday** at noon.\n\n"
    "It is fast. It is small. It is fast to learn too.\n\n"
    "Sign up for the beta today."
)


@pytest.fixture
def post(personas):
    return make_draft(personas.board, personas.contributor, title="Launch", body=BODY)


def located(draft):
    draft.refresh_from_db()
    (thread,) = comment_threads_located(draft)
    return thread.anchor, anchoring.body_text(draft.body)


def edit(draft, user, body):
    draft.refresh_from_db()
    draft_update(draft_id=draft.pk, actor=user, version=draft.version, body=body)


def test_it_stores_the_quote_with_its_context_and_revision(personas, post):
    comment = comment_create(
        draft_id=post.pk, author=personas.reviewer, body="Which timezone?", quote="launches on Monday at noon"
    )
    assert comment.quote == "launches on Monday at noon"
    assert comment.prefix == "Our new app "
    assert comment.suffix.startswith(".\nIt is fast.")
    assert comment.revision.number == 1
    assert comment.position == len("Our new app ")


def test_it_keeps_the_anchor_after_an_unrelated_edit(personas, post):
    comment_create(draft_id=post.pk, author=personas.reviewer, body="Nice", quote="Sign up for the beta")
    edit(post, personas.contributor, BODY.replace("It is small.", "It is tiny and light."))
    anchor, text = located(post)
    assert anchor.status == "exact"
    assert text[anchor.start : anchor.end] == "Sign up for the beta"


def test_it_moves_the_anchor_when_the_text_before_it_grows(personas, post):
    comment_create(draft_id=post.pk, author=personas.reviewer, body="Nice", quote="Sign up for the beta")
    before, _ = located(post)
    edit(post, personas.contributor, "Big news first.\n\n" + BODY)
    after, text = located(post)
    assert after.start == before.start + len("Big news first.\n")
    assert text[after.start : after.end] == "Sign up for the beta"


def test_it_marks_the_passage_gone_when_it_is_deleted(personas, post):
    comment_create(draft_id=post.pk, author=personas.reviewer, body="Cut this?", quote="Sign up for the beta today.")
    edit(post, personas.contributor, BODY.replace("Sign up for the beta today.", "Questions? Write to us."))
    anchor, _ = located(post)
    assert anchor.status == "gone"
    assert not anchor.found


def test_it_shows_a_gone_passage_as_changed_or_removed_on_the_page(personas, post, client):
    comment_create(draft_id=post.pk, author=personas.reviewer, body="Cut this?", quote="Sign up for the beta today.")
    edit(post, personas.contributor, BODY.replace("Sign up for the beta today.", ""))
    client.force_login(personas.reviewer)
    page = client.get(f"/drafts/{post.pk}/").content.decode()
    assert "Passage changed or removed" in page
    assert "data-anchor-start" not in page


def test_it_resolves_an_ambiguous_quote_by_its_context(personas, post):
    # "It is fast" appears twice; the reader selected the second one.
    text = anchoring.body_text(post.body)
    second = text.index("It is fast", text.index("It is fast") + 1)
    comment = comment_create(
        draft_id=post.pk,
        author=personas.reviewer,
        body="Repetitive",
        quote="It is fast",
        prefix=text[second - 12 : second],
        suffix=text[second + 10 : second + 20],
    )
    assert comment.position == second
    # Text inserted before both still leaves the comment on the second one.
    edit(post, personas.contributor, "Hello.\n\n" + BODY)
    anchor, new_text = located(post)
    assert anchor.start == new_text.index("It is fast", new_text.index("It is fast") + 1)


def test_it_follows_a_lightly_edited_passage(personas, post):
    comment_create(draft_id=post.pk, author=personas.reviewer, body="Day?", quote="Our new app launches on Monday")
    edit(post, personas.contributor, BODY.replace("**Monday**", "**Tuesday**"))
    anchor, text = located(post)
    assert anchor.status == "edited"
    assert text[anchor.start : anchor.end] == "Our new app launches on Tuesday"


def test_it_refuses_a_quote_that_is_not_in_the_text(personas, post):
    with pytest.raises(ValidationError) as refused:
        comment_create(draft_id=post.pk, author=personas.reviewer, body="?", quote="launches on Friday")
    assert "not in the draft's text" in str(refused.value)


@pytest.mark.parametrize("quote", ["   ", "x" * (anchoring.QUOTE_MAX_CHARS + 1)])
def test_it_refuses_an_empty_or_huge_quote(personas, post, quote):
    with pytest.raises(ValidationError):
        comment_create(draft_id=post.pk, author=personas.reviewer, body="?", quote=quote)


def test_the_server_text_is_what_a_reader_selects_in():
    # Rendered text content, entities decoded, markup gone, as the browser's Range.toString() gives it.
    assert anchoring.body_text("A *b* &amp; `c`\n\n- one\n- two") == "A b & c\n\none\ntwo\n"


def test_it_keeps_a_passage_with_a_word_added_inside_it_whole(personas, post):
    comment_create(draft_id=post.pk, author=personas.reviewer, body="Which?", quote="Sign up for the beta")
    edit(post, personas.contributor, BODY.replace("for the beta", "for the closed beta"))
    anchor, text = located(post)
    assert anchor.status == "edited"
    assert text[anchor.start : anchor.end] == "Sign up for the closed beta"
