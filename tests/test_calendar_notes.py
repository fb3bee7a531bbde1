"""Calendar notes: reviewers and managers add, edit and remove them (page and API alike), every member reads
them, bad input is refused with a message naming the field, and the lists stay within their window."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse

from drafts.planning.models import CalendarNote
from drafts.planning.note_selectors import NOTE_WINDOW_MAX_DAYS, board_today
from drafts.planning.note_services import calendar_note_create, calendar_note_delete, calendar_note_update
from tests.matrix_agreements import make_agreement

DAY = date(2027, 3, 26)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_reviewer_adds_a_note_of_one_day(personas):
    note = calendar_note_create(board=personas.board, actor=personas.reviewer, title="  Launch day ", starts_on=DAY)
    assert (note.title, note.starts_on, note.ends_on, note.author) == ("Launch day", DAY, DAY, personas.reviewer)


def test_it_refuses_a_contributor_and_an_outsider(personas):
    for user in (personas.contributor, personas.outsider):
        with pytest.raises(PermissionDenied):
            calendar_note_create(board=personas.board, actor=user, title="Mine", starts_on=DAY)
    assert not CalendarNote.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"title": " ", "starts_on": DAY}, "title", "Give the note a title"),
        ({"title": "x" * 201, "starts_on": DAY}, "title", "200 characters"),
        ({"title": "Sale", "starts_on": None}, "starts_on", "first day"),
        ({"title": "Sale", "starts_on": DAY, "ends_on": DAY - timedelta(days=1)}, "ends_on", "cannot be before"),
        ({"title": "Sale", "starts_on": DAY, "ends_on": DAY + timedelta(days=366)}, "ends_on", "at most 366 days"),
        ({"title": "Sale", "starts_on": DAY, "body": "b" * 5001}, "body", "5,000 characters"),
    ],
)
def test_it_refuses_bad_notes_naming_the_field(personas, fields, field, words):
    with pytest.raises(ValidationError) as refused:
        calendar_note_create(board=personas.board, actor=personas.manager, **fields)
    assert words in " ".join(refused.value.message_dict[field])


def test_a_note_may_cover_366_days(personas):
    note = calendar_note_create(
        board=personas.board, actor=personas.manager, title="Year", starts_on=DAY, ends_on=DAY + timedelta(days=365)
    )
    assert (note.ends_on - note.starts_on).days == 365


def test_moving_the_first_day_keeps_the_length_and_delete_removes_it(personas):
    note = calendar_note_create(
        board=personas.board, actor=personas.manager, title="Week", starts_on=DAY, ends_on=DAY + timedelta(days=6)
    )
    moved = calendar_note_update(
        board=personas.board, note_id=note.pk, actor=personas.reviewer, starts_on=DAY + timedelta(days=10)
    )
    assert (moved.starts_on, moved.ends_on) == (DAY + timedelta(days=10), DAY + timedelta(days=16))
    with pytest.raises(PermissionDenied):
        calendar_note_delete(board=personas.board, note_id=note.pk, actor=personas.contributor)
    assert calendar_note_delete(board=personas.board, note_id=note.pk, actor=personas.manager) == "Week"
    assert not CalendarNote.objects.exists()


def test_a_note_of_another_board_is_not_found_through_this_one(personas):
    elsewhere = calendar_note_create(board=personas.other_board, actor=None, title="Theirs", starts_on=DAY)
    with pytest.raises(Http404):
        calendar_note_update(board=personas.board, note_id=elsewhere.pk, actor=personas.manager, title="Mine now")


# ---- Pages ------------------------------------------------------------------------------------------------


def test_the_page_lists_notes_and_a_reviewer_adds_one(personas):
    today = board_today(personas.board)
    calendar_note_create(board=personas.board, actor=personas.manager, title="Holiday", starts_on=today)
    client = logged_in(personas.reviewer)
    url = reverse("board-calendar-notes", args=[personas.board.slug])
    page = client.get(url).content.decode()
    assert "Holiday" in page
    assert "Add a note" in page
    assert "Today" in page
    response = client.post(url, {"title": "Campaign", "starts_on": str(today), "ends_on": str(today + timedelta(3))})
    assert response.status_code == 302
    assert CalendarNote.objects.filter(title="Campaign", author=personas.reviewer).exists()


def test_the_page_shows_errors_at_the_field(personas):
    client = logged_in(personas.manager)
    url = reverse("board-calendar-notes", args=[personas.board.slug])
    response = client.post(url, {"title": "Backwards", "starts_on": "2027-03-26", "ends_on": "2027-03-20"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The last day cannot be before the first day." in page
    assert 'href="#id_ends_on"' in page
    missing = client.post(url, {"title": "", "starts_on": ""})
    assert "Give the note a title" in missing.content.decode()
    assert "Give the first day" in missing.content.decode()


def test_a_contributor_reads_the_page_without_the_form(personas):
    page = logged_in(personas.contributor).get(reverse("board-calendar-notes", args=[personas.board.slug]))
    assert page.status_code == 200
    assert "Add a note" not in page.content.decode()
    refused = logged_in(personas.contributor).post(
        reverse("board-calendar-notes", args=[personas.board.slug]), {"title": "x", "starts_on": "2027-01-01"}
    )
    assert refused.status_code == 403


def test_edit_and_delete_pages(personas):
    note = calendar_note_create(board=personas.board, actor=personas.manager, title="Sale", starts_on=DAY)
    client = logged_in(personas.manager)
    edit = reverse("board-calendar-note-edit", args=[personas.board.slug, note.pk])
    assert 'value="Sale"' in client.get(edit).content.decode()
    assert client.post(edit, {"title": "Big sale", "starts_on": "2027-03-27", "ends_on": ""}).status_code == 302
    note.refresh_from_db()
    assert (note.title, note.starts_on, note.ends_on) == ("Big sale", date(2027, 3, 27), date(2027, 3, 27))
    delete = reverse("board-calendar-note-delete", args=[personas.board.slug, note.pk])
    assert "Delete note" in client.get(delete).content.decode()
    assert client.post(delete).status_code == 302
    assert not CalendarNote.objects.exists()


def test_an_unsigned_agreement_sends_members_to_sign_first(personas):
    make_agreement(personas.board)
    response = logged_in(personas.contributor).get(reverse("board-calendar-notes", args=[personas.board.slug]))
    assert response.status_code == 302
    assert "/agreements/" in response["Location"]


# ---- API --------------------------------------------------------------------------------------------------


def notes_url(board) -> str:
    return f"/api/boards/{board.pk}/notes/"


def test_the_api_creates_lists_changes_and_deletes(personas, api_client_for):
    api = api_client_for("reviewer")
    created = api.post(notes_url(personas.board), {"title": "Launch", "starts_on": "2027-03-26"}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["title"], body["starts_on"], body["ends_on"], body["author"]) == (
        "Launch", "2027-03-26", "2027-03-26", "reviewer"
    )  # fmt: skip
    listed = api_client_for("contributor").get(notes_url(personas.board), {"from": "2027-03-01", "to": "2027-03-31"})
    assert listed.status_code == 200
    assert [n["title"] for n in listed.json()["results"]] == ["Launch"]
    assert listed.json()["from"] == "2027-03-01"
    assert listed.json()["to"] == "2027-03-31"
    outside = api.get(notes_url(personas.board), {"from": "2027-04-01", "to": "2027-04-30"})
    assert outside.json()["results"] == []
    note_url = f"{notes_url(personas.board)}{body['id']}/"
    changed = api.patch(note_url, {"ends_on": "2027-03-28"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["ends_on"] == "2027-03-28"
    assert api_client_for("contributor").delete(note_url).status_code == 403
    assert api.delete(note_url).status_code == 204
    assert api.delete(note_url).status_code == 404


def test_the_api_answers_bad_input_with_field_messages(personas, api_client_for):
    api = api_client_for("manager")
    blank = api.post(notes_url(personas.board), {"title": "", "starts_on": "2027-03-26"}, format="json")
    assert blank.status_code == 400
    assert "Give the note a title" in blank.json()["title"][0]
    backwards = api.post(
        notes_url(personas.board), {"title": "x", "starts_on": "2027-03-26", "ends_on": "2027-03-01"}, format="json"
    )
    assert backwards.status_code == 400
    assert "ends_on" in backwards.json()
    bad_date = api.post(notes_url(personas.board), {"title": "x", "starts_on": "soon"}, format="json")
    assert bad_date.status_code == 400
    assert "starts_on" in bad_date.json()
    too_long = api.get(notes_url(personas.board), {"from": "2027-01-01", "to": "2028-06-01"})
    assert too_long.status_code == 400
    assert str(NOTE_WINDOW_MAX_DAYS) in too_long.json()["to"][0]
    wrong_way = api.get(notes_url(personas.board), {"from": "2027-01-02", "to": "2027-01-01"})
    assert wrong_way.status_code == 400
    assert "to" in wrong_way.json()
    not_a_date = api.get(notes_url(personas.board), {"from": "yesterday"})
    assert not_a_date.status_code == 400
    assert "from" in not_a_date.json()


def test_the_api_hides_other_boards(personas, api_client_for):
    assert api_client_for("outsider").get(notes_url(personas.board)).status_code == 404
    elsewhere = calendar_note_create(board=personas.other_board, actor=None, title="Theirs", starts_on=DAY)
    url = f"{notes_url(personas.board)}{elsewhere.pk}/"
    assert api_client_for("manager").patch(url, {"title": "Mine"}, format="json").status_code == 404


def test_the_ends_of_the_calendar_are_a_400_not_a_crash(personas, api_client_for):
    api = api_client_for("manager")
    assert api.get(notes_url(personas.board), {"from": "9999-12-31"}).status_code == 400
    assert "to" in api.get(notes_url(personas.board), {"to": "0001-01-01"}).json()
    note = calendar_note_create(
        board=personas.board, actor=personas.manager, title="Week", starts_on=DAY, ends_on=DAY + timedelta(days=6)
    )
    moved = api.patch(f"{notes_url(personas.board)}{note.pk}/", {"starts_on": "9999-12-30"}, format="json")
    assert moved.status_code == 400
    assert "starts_on" in moved.json()
