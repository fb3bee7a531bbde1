"""What changed, as a reader says it: words in the rendered text, images by alt text; since my last review."""

from drafts.diffing import image_changes, revision_changes, word_diff_body, word_diff_text
from drafts.selectors import last_reviewed_revision
from drafts.services import comment_create, draft_transition, draft_update
from tests.factories import advance, attach_image


def edit(draft, user, **content):
    draft.refresh_from_db()
    return draft_update(draft_id=draft.pk, actor=user, version=draft.version, **content)


def test_an_inserted_word_is_wrapped_as_an_insertion():
    html = word_diff_body("We launch at noon.", "We proudly launch at noon.")
    assert html == '<p>We <ins class="diff-ins">proudly </ins>launch at noon.</p>'


def test_a_replaced_word_inside_markup_keeps_the_new_markup():
    html = word_diff_body("On **Monday** at noon.", "On **Tuesday** at noon.")
    assert '<strong><del class="diff-del">Monday</del><ins class="diff-ins">Tuesday</ins></strong>' in html


def test_a_deleted_paragraph_shows_its_words_deleted():
    html = word_diff_body("First.\n\nSecond paragraph goes.", "First.")
    assert '<del class="diff-del">Second paragraph goes.</del>' in html
    assert "<ins" not in html


def test_plain_text_is_escaped_before_comparing():
    assert (
        word_diff_text("a <b>", "a <i>")
        == 'a <del class="diff-del">&lt;b&gt;</del><ins class="diff-ins">&lt;i&gt;</ins>'
    )


def test_image_changes_are_described_by_alt_text():
    old = [{"sha256": "a", "alt_text": "A cat"}, {"sha256": "b", "alt_text": "Old logo"}]
    new = [{"sha256": "a", "alt_text": "A black cat"}, {"sha256": "c", "alt_text": "Team photo"}]
    sentences = [change.sentence for change in image_changes(old, new)]
    assert sentences == [
        "Image 1: alt text changed from “A cat” to “A black cat”.",
        "Image added: alt text “Team photo”.",
        "Image removed: alt text “Old logo”.",
    ]


def test_title_tags_and_variants_changes(personas, draft):
    edit(draft, personas.contributor, title="Summer launch post", tags=["launch"], variants={"kind:x": "Short one"})
    old, new = draft.revisions.order_by("number")
    changes = revision_changes(old, new)
    assert '<ins class="diff-ins">Summer</ins>' in changes.title
    assert changes.tags_added == ["launch"]
    assert [(v.channel, v.kind) for v in changes.variants] == [("kind:x", "added")]
    assert changes.body is None


def test_the_comparison_page_describes_an_alt_text_change_and_shows_a_thumbnail(personas, draft, client):
    from drafts.images import draft_image_update

    image = attach_image(draft, alt_text="A pink square")
    edit(draft, personas.contributor, body="Changed body.")  # a revision with the image
    draft.refresh_from_db()
    draft_image_update(
        draft_id=draft.pk,
        image_id=image.pk,
        actor=personas.contributor,
        alt_text="A pink square on white",
        position=None,
        version=draft.version,
    )
    last = draft.revisions.order_by("-number").first().number
    client.force_login(personas.contributor)
    page = client.get(f"/drafts/{draft.pk}/diff/", {"from": last - 1, "to": last}).content.decode()
    assert "alt text changed from “A pink square” to “A pink square on white”" in page
    assert f'src="/drafts/{draft.pk}/images/{image.pk}/"' in page
    assert image.sha256[:12] not in page  # no SHA prefixes on screen


# --- Since the version I last reviewed -----------------------------------------------------------------------


def resubmitted_after_review(personas, draft, review):
    """Round 1 reviewed by the reviewer (`review`), then two edits and a resubmit."""
    advance(draft, "review", personas)
    reviewed = draft.revisions.order_by("-number").first()
    review()
    edit(draft, personas.contributor, body="Some **markdown** body, longer now.")
    edit(draft, personas.contributor, body="Some **markdown** body, much longer now.")
    draft_transition(draft_id=draft.pk, name="submit", actor=personas.contributor)
    draft.refresh_from_db()
    return reviewed


def test_since_i_last_reviewed_is_the_revision_i_sent_back(personas, draft):
    reviewed = resubmitted_after_review(
        personas,
        draft,
        lambda: draft_transition(draft_id=draft.pk, name="request_changes", actor=personas.reviewer, comment="More"),
    )
    assert last_reviewed_revision(draft, personas.reviewer) == reviewed
    assert draft.revisions.count() == reviewed.number + 2


def test_since_i_last_reviewed_counts_my_comments(personas, draft):
    advance(draft, "review", personas)
    comment_create(draft_id=draft.pk, author=personas.manager, body="Hmm")
    first = draft.revisions.get(number=1)
    assert last_reviewed_revision(draft, personas.manager) == first


def test_a_reviewer_who_never_reviewed_gets_the_previous_round(personas, draft):
    reviewed = resubmitted_after_review(
        personas,
        draft,
        lambda: draft_transition(draft_id=draft.pk, name="request_changes", actor=personas.reviewer, comment="More"),
    )
    # The manager never looked: they compare with what the previous round's reviewers saw.
    assert last_reviewed_revision(draft, personas.manager) == reviewed


def test_on_a_first_round_there_is_nothing_earlier(personas, draft):
    advance(draft, "review", personas)
    assert last_reviewed_revision(draft, personas.manager) is None


def test_the_draft_page_and_the_diff_default_to_since_my_review(personas, draft, client, api_client_for):
    reviewed = resubmitted_after_review(
        personas,
        draft,
        lambda: draft_transition(draft_id=draft.pk, name="request_changes", actor=personas.reviewer, comment="More"),
    )
    latest = draft.revisions.order_by("-number").first().number
    client.force_login(personas.reviewer)
    page = client.get(f"/drafts/{draft.pk}/").content.decode()
    assert "Changes since your last review" in page
    assert f"Revision {reviewed.number} &rarr; {latest}" in page
    since = page[page.index('id="since-review"') : page.index('id="draft-text"')]
    assert '<ins class="diff-ins">body, much longer now.</ins>' in since
    diff = client.get(f"/drafts/{draft.pk}/diff/")
    assert (diff.context["old"].number, diff.context["new"].number) == (reviewed.number, latest)
    api = api_client_for("reviewer").get(f"/api/drafts/{draft.pk}/diff/").json()
    assert (api["from_revision"], api["to_revision"]) == (reviewed.number, latest)
    assert "<ins" in api["changes"]["body_html"]
    # The author compares the latest two, as before.
    author = api_client_for("contributor").get(f"/api/drafts/{draft.pk}/diff/").json()
    assert (author["from_revision"], author["to_revision"]) == (latest - 1, latest)
