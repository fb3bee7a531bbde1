"""Content edits (revisions, optimistic locking, who may edit, validation), revision diffs and comments."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from cocreate.errors import Conflict
from drafts.models import Draft, DraftComment, DraftEvent, DraftRevision
from drafts.selectors import revision_diff, revision_pair
from drafts.services import comment_create, draft_create, draft_transition, draft_update
from tests.factories import advance, make_draft, member

NOT_EDITABLE_STATES = ["review", "approved", "scheduled", "published", "failed", "archived"]


def content(draft: Draft) -> tuple:
    draft.refresh_from_db()
    return (draft.title, draft.body, draft.tags, draft.variants, draft.version, draft.updated_at)


def revision_numbers(draft: Draft) -> list[int]:
    return list(DraftRevision.objects.filter(draft=draft).values_list("number", flat=True))


def update(draft: Draft, actor, **fields) -> Draft:
    fields.setdefault("version", Draft.objects.get(pk=draft.pk).version)
    return draft_update(draft_id=draft.pk, actor=actor, **fields)


# --- Creating ------------------------------------------------------------------------------------------


def test_it_stores_revision_1_and_a_create_event_on_create(personas):
    draft = draft_create(
        board=personas.board,
        author=personas.contributor,
        title="  Hello  ",
        body="Body",
        tags=["launch", "launch", " spring "],
        variants={"kind:x": "Short", "kind:linkedin": "  "},
    )
    assert (draft.title, draft.tags, draft.variants, draft.version, draft.state) == (
        "Hello",
        ["launch", "spring"],
        {"kind:x": "Short"},
        1,
        "draft",
    )
    [revision] = DraftRevision.objects.filter(draft=draft)
    assert (revision.number, revision.title, revision.body, revision.tags, revision.variants, revision.author) == (
        1,
        "Hello",
        "Body",
        ["launch", "spring"],
        {"kind:x": "Short"},
        personas.contributor,
    )
    [event] = DraftEvent.objects.filter(draft=draft)
    assert (event.transition, event.source, event.target, event.actor) == ("create", "", "draft", personas.contributor)


@pytest.mark.parametrize("persona", ["outsider", "anonymous"])
def test_it_refuses_to_create_drafts_on_boards_you_do_not_write_for(personas, persona):
    user = AnonymousUser() if persona == "anonymous" else personas.outsider
    with pytest.raises(PermissionDenied):
        draft_create(board=personas.board, author=user, title="Sneaky")
    assert not Draft.objects.filter(title="Sneaky").exists()


# --- Updating ------------------------------------------------------------------------------------------


def test_it_stores_a_revision_and_bumps_the_version_on_each_real_change(personas, draft):
    update(draft, personas.contributor, title="Second title")
    update(draft, personas.contributor, body="A new body")
    update(draft, personas.reviewer, tags=["pillar"])
    updated = update(draft, personas.contributor, variants={"kind:x": "Short post"})

    assert updated.version == 5
    assert Draft.objects.get(pk=draft.pk).version == 5
    assert revision_numbers(draft) == [1, 2, 3, 4, 5]
    latest = DraftRevision.objects.get(draft=draft, number=5)
    assert (latest.title, latest.body, latest.tags, latest.variants) == (
        "Second title",
        "A new body",
        ["pillar"],
        {"kind:x": "Short post"},
    )
    assert DraftRevision.objects.get(draft=draft, number=4).author == personas.reviewer
    assert DraftRevision.objects.get(draft=draft, number=2).title == "Second title"
    assert DraftRevision.objects.get(draft=draft, number=2).body == "Some **markdown** body."


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"title": "Spring launch post"},
        {"title": "  Spring launch post \n"},
        {"body": "Some **markdown** body."},
        {"tags": []},
        {"tags": ["  ", ""]},
        {"variants": {}},
        {"variants": {"x": "   "}},
    ],
)
def test_it_stores_nothing_for_a_no_op_update(personas, draft, fields):
    before = content(draft)
    result = update(draft, personas.contributor, **fields)
    assert result.version == 1
    assert content(draft) == before
    assert revision_numbers(draft) == [1]


def test_it_treats_normalised_duplicates_as_no_change(personas, draft):
    update(draft, personas.contributor, tags=["a", "b"])
    before = content(draft)
    update(draft, personas.contributor, tags=["a", " a", "b ", ""])
    assert content(draft) == before
    assert revision_numbers(draft) == [1, 2]


def test_it_refuses_a_stale_version_and_changes_nothing(personas, draft):
    opened = draft.version
    update(draft, personas.reviewer, body="The reviewer got there first.")
    before = content(draft)
    with pytest.raises(Conflict, match="changed since you opened it"):
        draft_update(draft_id=draft.pk, actor=personas.contributor, version=opened, title="Mine")
    assert content(draft) == before
    assert revision_numbers(draft) == [1, 2]


def test_it_treats_a_transition_as_a_change_for_optimistic_locking(personas, draft):
    opened = draft.version
    draft_transition(draft_id=draft.pk, name="submit", actor=personas.contributor)
    draft_transition(draft_id=draft.pk, name="request_changes", actor=personas.reviewer, comment="Redo")
    with pytest.raises(Conflict):
        draft_update(draft_id=draft.pk, actor=personas.contributor, version=opened, title="Mine")
    update(draft, personas.contributor, title="Mine")
    assert Draft.objects.get(pk=draft.pk).title == "Mine"


@pytest.mark.parametrize("state", NOT_EDITABLE_STATES)
@pytest.mark.parametrize("persona", ["contributor", "reviewer", "manager", "admin"])
def test_it_refuses_edits_outside_the_draft_state(personas, draft, state, persona):
    advance(draft, state, personas)
    before = content(draft)
    with pytest.raises(PermissionDenied):
        update(draft, getattr(personas, persona), title="Sneaky edit")
    assert content(draft) == before
    assert revision_numbers(draft) == [1]


@pytest.mark.parametrize("persona", ["reviewer", "manager", "admin"])
def test_it_lets_reviewers_edit_any_draft_in_the_draft_state(personas, draft, persona):
    update(draft, getattr(personas, persona), title=f"Edited by {persona}")
    assert Draft.objects.get(pk=draft.pk).title == f"Edited by {persona}"
    assert DraftRevision.objects.get(draft=draft, number=2).author == getattr(personas, persona)


@pytest.mark.parametrize("persona", ["outsider", "other_contributor", "anonymous"])
def test_it_hides_the_draft_from_people_who_may_not_edit_it(personas, draft, persona):
    """People who are neither authors nor reviewers cannot see the draft, so they get a 404, not a 403."""
    user = {
        "outsider": personas.outsider,
        "other_contributor": member(personas.board, "contributor", username="other"),
        "anonymous": AnonymousUser(),
    }[persona]
    before = content(draft)
    with pytest.raises(Http404):
        update(draft, user, title="Sneaky edit")
    assert content(draft) == before
    assert revision_numbers(draft) == [1]


def test_it_lets_a_coauthor_edit(personas, draft):
    coauthor = member(personas.board, "contributor", username="coauthor")
    draft.coauthors.add(coauthor)
    update(draft, coauthor, body="Co-written.")
    assert Draft.objects.get(pk=draft.pk).body == "Co-written."
    assert DraftRevision.objects.get(draft=draft, number=2).author == coauthor


def test_it_does_not_let_a_coauthor_without_a_role_on_the_board_edit(personas, draft):
    draft.coauthors.add(personas.outsider)
    with pytest.raises(Http404):
        update(draft, personas.outsider, body="Co-written.")
    assert revision_numbers(draft) == [1]


INVALID_CONTENT = [
    pytest.param({"title": ""}, "title", id="empty-title"),
    pytest.param({"title": "   "}, "title", id="blank-title"),
    pytest.param({"title": "x" * 201}, "title", id="long-title"),
    pytest.param({"body": "x" * 200_001}, "body", id="long-body"),
    pytest.param({"tags": "launch"}, "tags", id="tags-not-a-list"),
    pytest.param({"tags": ["ok", 3]}, "tags", id="tag-not-a-string"),
    pytest.param({"tags": ["#hashtag"]}, "tags", id="tag-bad-character"),
    pytest.param({"tags": ["x" * 41]}, "tags", id="tag-too-long"),
    pytest.param({"tags": [f"tag{i}" for i in range(21)]}, "tags", id="too-many-tags"),
    pytest.param({"variants": ["x"]}, "variants", id="variants-not-a-dict"),
    pytest.param({"variants": {"X": "Upper-case channel"}}, "variants", id="variant-key-upper"),
    pytest.param({"variants": {"my channel": "text"}}, "variants", id="variant-key-space"),
    pytest.param({"variants": {"": "text"}}, "variants", id="variant-key-empty"),
    pytest.param({"variants": {"x": 3}}, "variants", id="variant-value-not-text"),
]


@pytest.mark.parametrize(("fields", "field"), INVALID_CONTENT)
def test_it_validates_content_on_update(personas, draft, fields, field):
    before = content(draft)
    with pytest.raises(ValidationError) as excinfo:
        update(draft, personas.contributor, **fields)
    assert field in excinfo.value.message_dict
    assert content(draft) == before
    assert revision_numbers(draft) == [1]


@pytest.mark.parametrize(("fields", "field"), INVALID_CONTENT)
def test_it_validates_content_on_create(personas, fields, field):
    fields = {"title": "Valid title", **fields}
    with pytest.raises(ValidationError) as excinfo:
        draft_create(board=personas.board, author=personas.contributor, **fields)
    assert field in excinfo.value.message_dict
    assert not Draft.objects.exists()
    assert not DraftRevision.objects.exists()


def test_it_reports_every_invalid_field_at_once(personas, draft):
    with pytest.raises(ValidationError) as excinfo:
        update(draft, personas.contributor, title="", tags=["#bad"], variants={"X": "y"})
    assert set(excinfo.value.message_dict) == {"title", "tags", "variants"}


# --- Diffs ---------------------------------------------------------------------------------------------


def test_it_diffs_title_body_tags_and_variants(personas):
    draft = make_draft(
        personas.board,
        personas.contributor,
        title="Old title",
        body="line one\nline two",
        tags=["alpha"],
        variants={"kind:x": "short"},
    )
    update(
        draft,
        personas.contributor,
        title="New title",
        body="line one\nline 2",
        tags=["beta"],
        variants={"kind:x": "shorter", "kind:linkedin": "A longer post"},
    )
    old, new = revision_pair(draft, from_number=None, to_number=None)
    assert (old.number, new.number) == (1, 2)
    lines = revision_diff(old, new)
    assert lines[:2] == ["--- revision 1", "+++ revision 2"]
    for expected in [
        "-# Old title",
        "+# New title",
        " line one",
        "-line two",
        "+line 2",
        "-Tags: alpha",
        "+Tags: beta",
        "+[kind:linkedin]",
        "+A longer post",
        "-short",
        "+shorter",
    ]:
        assert expected in lines, expected
    assert "-line one" not in lines


def test_it_diffs_nothing_between_identical_revisions(personas, draft):
    first = revision_pair(draft, from_number=1, to_number=1)
    assert revision_diff(*first) == []


def test_it_answers_404_for_a_missing_revision(personas, draft):
    with pytest.raises(Http404):
        revision_pair(draft, from_number=1, to_number=7)


# --- Comments ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["contributor", "reviewer", "manager", "admin"])
def test_it_lets_anyone_who_sees_the_draft_comment(personas, draft, persona):
    author = getattr(personas, persona)
    comment = comment_create(draft_id=draft.pk, author=author, body="  Looks good.  ")
    assert (comment.draft, comment.author, comment.body) == (draft, author, "Looks good.")
    assert list(DraftComment.objects.filter(draft=draft)) == [comment]


def test_it_lets_people_comment_in_any_state(personas, draft):
    advance(draft, "published", personas)
    comment_create(draft_id=draft.pk, author=personas.reviewer, body="Nice result.")
    assert DraftComment.objects.filter(draft=draft).count() == 1


@pytest.mark.parametrize("persona", ["outsider", "other_contributor", "anonymous"])
def test_it_hides_the_draft_from_commenters_who_cannot_see_it(personas, draft, persona):
    user = {
        "outsider": personas.outsider,
        "other_contributor": member(personas.board, "contributor", username="other"),
        "anonymous": AnonymousUser(),
    }[persona]
    with pytest.raises(Http404):
        comment_create(draft_id=draft.pk, author=user, body="Hi")
    assert not DraftComment.objects.exists()


@pytest.mark.parametrize("body", ["", "   \n\t", None, "x" * 10_001])
def test_it_refuses_empty_or_huge_comments(personas, draft, body):
    with pytest.raises(ValidationError) as excinfo:
        comment_create(draft_id=draft.pk, author=personas.reviewer, body=body)
    assert "body" in excinfo.value.message_dict
    assert not DraftComment.objects.exists()
