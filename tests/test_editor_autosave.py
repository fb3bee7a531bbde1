"""Autosave: the editor saves in the background with the version check, never loses the text typed, and keeps
the number of revisions sensible (drafts.autosave; the endpoints' permissions are in tests/matrix_editor.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from drafts.models import Draft, DraftRevision
from drafts.services import comment_create, draft_update
from tests.factories import make_channel, make_draft


@pytest.fixture
def personas(shared_personas):
    return shared_personas


def autosave(client, draft, at_version, **fields):
    data = {"title": draft.title, "body": "", "tags": "", "version": at_version, **fields}
    return client.post(reverse("draft-autosave", args=[draft.pk]), data)


def test_it_saves_the_text_and_answers_the_new_version_and_the_time_in_the_boards_zone(personas, web_client_for):
    personas.board.time_zone = "Europe/Copenhagen"
    personas.board.save()
    draft = make_draft(personas.board, personas.contributor, title="Autosaved")
    channel = make_channel(
        personas.board, "mastodon", name="Fedi", settings={"url": "https://social.example"}, credentials={"token": "t"}
    )
    response = autosave(
        web_client_for("contributor"),
        draft,
        draft.version,
        body="Typed *here*.",
        **{f"variant_channel_{channel.pk}": "Short"},
    )
    assert response.status_code == 200
    answer = response.json()
    draft.refresh_from_db()
    assert (draft.body, draft.variants, draft.version) == (
        "Typed *here*.",
        {f"channel:{channel.pk}": "Short"},
        answer["version"],
    )
    assert answer["version"] == 2
    assert answer["saved_label"].endswith(("CET", "CEST"))


def test_it_refuses_a_stale_version_with_409_naming_who_changed_it_and_their_text(personas, web_client_for):
    draft = make_draft(personas.board, personas.contributor, title="Shared", body="First.")
    opened_at = draft.version
    draft_update(draft_id=draft.pk, actor=personas.reviewer, version=opened_at, body="The reviewer's words.")

    response = autosave(web_client_for("contributor"), draft, opened_at, body="Alice's words, typed meanwhile.")

    assert response.status_code == 409
    answer = response.json()
    assert answer["conflict"] is True
    assert answer["changed_by"] == str(personas.reviewer)
    assert answer["theirs"]["body"] == "The reviewer's words."
    assert answer["yours"]["body"] == "Alice's words, typed meanwhile."  # handed back untouched
    assert answer["version"] == opened_at + 1
    assert answer["editable"] is True
    assert "-Alice&#x27;s words, typed meanwhile." in answer["html"]
    assert "+The reviewer&#x27;s words." in answer["html"]
    assert Draft.objects.get(pk=draft.pk).body == "The reviewer's words."  # nothing overwritten


def test_it_saves_mine_over_theirs_when_the_writer_keeps_theirs_out(personas, web_client_for):
    draft = make_draft(personas.board, personas.contributor, title="Shared", body="First.")
    draft_update(draft_id=draft.pk, actor=personas.reviewer, version=draft.version, body="Theirs.")
    client = web_client_for("contributor")
    conflict = autosave(client, draft, draft.version, body="Mine.").json()
    # "Keep mine": the same text again, at the version the conflict reported.
    assert autosave(client, draft, conflict["version"], body="Mine.").status_code == 200
    assert Draft.objects.get(pk=draft.pk).body == "Mine."


def test_it_says_a_submitted_draft_can_no_longer_be_edited_and_keeps_the_text(personas, web_client_for):
    from drafts.services import draft_transition

    draft = make_draft(personas.board, personas.contributor, title="Going to review", body="Sent.")
    opened_at = draft.version
    draft_transition(draft_id=draft.pk, name="submit", actor=personas.contributor)
    answer = autosave(web_client_for("contributor"), draft, opened_at, body="Typed after submitting.").json()
    assert answer["editable"] is False
    assert answer["yours"]["body"] == "Typed after submitting."
    assert "cannot be edited now" in answer["html"]
    assert "Keep mine" not in answer["html"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"tags": "ok, <b>bad</b>"}, "Tags are 1-40 letters"),
        ({"version": ""}, "say which version"),
    ],
)
def test_it_refuses_bad_input_with_400_saving_nothing_and_handing_the_text_back(
    personas, web_client_for, fields, message
):
    draft = make_draft(personas.board, personas.contributor, title="Kept", body="Saved body.")
    response = autosave(web_client_for("contributor"), draft, draft.version, **{"body": "Typed body.", **fields})
    assert response.status_code == 400
    assert message in response.json()["message"]
    assert response.json()["yours"]["body"] == "Typed body."
    assert Draft.objects.get(pk=draft.pk).body == "Saved body."


def test_it_keeps_one_revision_per_sitting_for_the_same_writer(personas, web_client_for):
    draft = make_draft(personas.board, personas.contributor, title="Many pauses", body="")
    client = web_client_for("contributor")
    version = draft.version
    for n in range(10):
        version = autosave(client, draft, version, body="word " * (n + 1)).json()["version"]
    revisions = list(DraftRevision.objects.filter(draft=draft))
    assert len(revisions) == 1  # the creation's revision, amended: the same writer, minutes apart
    assert revisions[0].body == "word " * 10
    assert version == draft.version + 10  # every save still moved the version on


def test_it_starts_a_new_revision_for_another_writer_after_the_window_and_after_a_comment(
    personas, web_client_for, client, settings
):
    settings.DRAFT_AUTOSAVE_REVISION_MINUTES = 10
    draft = make_draft(personas.board, personas.contributor, title="Shared", body="")
    contributor = web_client_for("contributor")
    version = autosave(contributor, draft, draft.version, body="One.").json()["version"]
    assert DraftRevision.objects.filter(draft=draft).count() == 1

    client.force_login(personas.reviewer)  # another writer: a revision of their own
    version = autosave(client, draft, version, body="Two.").json()["version"]
    assert list(DraftRevision.objects.filter(draft=draft).values_list("author", flat=True)) == [
        personas.contributor.pk,
        personas.reviewer.pk,
    ]

    DraftRevision.objects.filter(draft=draft, number=2).update(created_at=draft.created_at - timedelta(minutes=11))
    version = autosave(client, draft, version, body="Three.").json()["version"]  # the window has passed
    assert DraftRevision.objects.filter(draft=draft).count() == 3

    comment_create(draft_id=draft.pk, author=personas.manager, body="Looking at this one.")
    autosave(client, draft, version, body="Four.")  # revision 3 was commented on: it stays as it was
    assert list(DraftRevision.objects.filter(draft=draft).values_list("body", flat=True)) == [
        "One.",
        "Two.",
        "Three.",
        "Four.",
    ]


def test_an_explicit_save_always_adds_a_revision(personas, web_client_for):
    draft = make_draft(personas.board, personas.contributor, title="Saved by hand", body="")
    client = web_client_for("contributor")
    version = autosave(client, draft, draft.version, body="Autosaved.").json()["version"]
    response = client.post(
        reverse("draft-edit", args=[draft.pk]), {"title": draft.title, "body": "Saved.", "version": version}
    )
    assert response.status_code == 302
    assert DraftRevision.objects.filter(draft=draft).count() == 2
