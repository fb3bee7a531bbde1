"""A draft's internal deadline: the board's reviewers and managers set and clear it (page, htmx and API), each
change is in the draft's history, nobody is e-mailed about it, and it never touches the workflow."""

import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contributors.notifications.models import Notification
from drafts.models import DraftEvent
from drafts.planning.deadline_services import deadline_clear, deadline_set
from drafts.planning.models import Deadline
from drafts.services import NOTIFY_SWEEP_GRACE, draft_events_notify_missed
from drafts.steps import past_tense
from tests.factories import advance

COPENHAGEN = zoneinfo.ZoneInfo("Europe/Copenhagen")


def soon(days: int = 3) -> datetime:
    return (timezone.now() + timedelta(days=days)).replace(microsecond=0)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_reviewer_sets_and_clears_a_deadline_and_history_says_so(personas, draft):
    advance(draft, "review", personas)
    version = draft.version
    due = soon()
    deadline = deadline_set(draft_id=draft.pk, actor=personas.reviewer, due_at=due, label="Legal sign-off")
    assert (deadline.label, deadline.set_by) == ("Legal sign-off", personas.reviewer)
    # The same again records nothing.
    assert deadline_set(draft_id=draft.pk, actor=personas.manager, due_at=due, label="Legal sign-off") == deadline
    assert deadline_clear(draft_id=draft.pk, actor=personas.manager) is True
    assert deadline_clear(draft_id=draft.pk, actor=personas.manager) is False
    events = list(DraftEvent.objects.filter(draft=draft, transition__in=["set_deadline", "clear_deadline"]))
    assert [e.transition for e in events] == ["set_deadline", "clear_deadline"]
    assert events[0].data["label"] == "Legal sign-off"
    assert events[0].comment.startswith("Legal sign-off: ")
    assert past_tense("set_deadline") == "set the deadline"
    assert past_tense("clear_deadline") == "cleared the deadline"
    draft.refresh_from_db()
    assert draft.version == version
    assert draft.state == "review"


def test_nobody_is_told_about_a_deadline(personas, draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        deadline_set(draft_id=draft.pk, actor=personas.manager, due_at=soon())
    DraftEvent.objects.filter(transition="set_deadline").update(
        created_at=timezone.now() - NOTIFY_SWEEP_GRACE - timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert draft_events_notify_missed() == 0
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_the_author_and_outsiders_may_not_set_one(personas, draft):
    with pytest.raises(PermissionDenied):
        deadline_set(draft_id=draft.pk, actor=personas.contributor, due_at=soon())
    with pytest.raises(Http404):
        deadline_set(draft_id=draft.pk, actor=personas.outsider, due_at=soon())
    assert not Deadline.objects.exists()


@pytest.mark.parametrize(
    ("due_at", "label", "field", "words"),
    [
        (None, "", "due_at", "Give the date and time"),
        (timezone.now() - timedelta(hours=1), "", "due_at", "has not passed"),
        (timezone.now() + timedelta(days=800), "", "due_at", "two years"),
        (datetime(2030, 1, 1, 12), "", "due_at", "offset"),
        ("soon", "x" * 121, "label", "120 characters"),
    ],
)
def test_it_refuses_bad_deadlines_naming_the_field(personas, draft, due_at, label, field, words):
    when = soon() if due_at == "soon" else due_at
    with pytest.raises(ValidationError) as refused:
        deadline_set(draft_id=draft.pk, actor=personas.manager, due_at=when, label=label)
    assert words in " ".join(refused.value.message_dict[field])


def test_a_published_draft_needs_no_deadline(personas, draft):
    advance(draft, "published", personas)
    with pytest.raises(ValidationError, match="needs no deadline"):
        deadline_set(draft_id=draft.pk, actor=personas.manager, due_at=soon())


def test_the_panel_sets_it_in_the_boards_time_with_htmx(personas, draft):
    client = logged_in(personas.reviewer)
    when = soon(5).astimezone(COPENHAGEN).replace(hour=17, minute=0, second=0, tzinfo=None)
    url = reverse("draft-deadline", args=[draft.pk])
    response = client.post(
        url, {"due_at": when.strftime("%Y-%m-%dT%H:%M"), "label": "Due for review"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "toast" in response["HX-Trigger"]
    assert 'id="deadline-panel"' in response.content.decode()
    deadline = Deadline.objects.get(draft=draft)
    assert deadline.due_at == when.replace(tzinfo=COPENHAGEN)
    page = client.get(reverse("draft-detail", args=[draft.pk])).content.decode()
    assert "Due for review" in page
    assert "Change the deadline" in page
    assert "set the deadline" in page


def test_the_panel_shows_errors_and_a_plain_form_goes_back_to_the_draft(personas, draft):
    client = logged_in(personas.manager)
    url = reverse("draft-deadline", args=[draft.pk])
    refused = client.post(url, {"due_at": "2001-01-01T10:00", "label": ""}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400
    assert "has not passed" in refused.content.decode()
    plain_refused = client.post(url, {"due_at": ""})
    assert plain_refused.status_code == 400
    assert "Give the date and time it is due." in plain_refused.content.decode()
    local = soon().astimezone(COPENHAGEN).strftime("%Y-%m-%dT%H:%M")
    done = client.post(url, {"due_at": local, "label": "Legal"})
    assert done.status_code == 302
    assert done["Location"].endswith("#deadline-panel")
    cleared = client.post(url, {"action": "clear"})
    assert cleared.status_code == 302
    assert not Deadline.objects.exists()


def test_contributors_see_the_deadline_but_no_form(personas, draft):
    deadline_set(draft_id=draft.pk, actor=personas.manager, due_at=soon(), label="Due for review")
    page = logged_in(personas.contributor).get(reverse("draft-detail", args=[draft.pk])).content.decode()
    assert "Due for review" in page
    assert "Change the deadline" not in page
    refused = logged_in(personas.contributor).post(reverse("draft-deadline", args=[draft.pk]), {"action": "clear"})
    assert refused.status_code == 403


def test_the_api_reads_sets_and_clears(personas, draft, api_client_for):
    url = f"/api/drafts/{draft.pk}/deadline/"
    empty = api_client_for("contributor").get(url)
    assert empty.status_code == 200
    assert empty.json()["due_at"] is None
    due = soon().astimezone(COPENHAGEN)
    put = api_client_for("reviewer").put(url, {"due_at": due.isoformat(), "label": "Legal"}, format="json")
    assert put.status_code == 200, put.content
    assert put.json()["label"] == "Legal"
    assert put.json()["set_by"] == "reviewer"
    assert datetime.fromisoformat(put.json()["due_at"]) == due
    bad = api_client_for("reviewer").put(url, {"due_at": "2001-01-01T00:00:00Z"}, format="json")
    assert bad.status_code == 400
    assert "due_at" in bad.json()
    assert api_client_for("contributor").delete(url).status_code == 403
    assert api_client_for("outsider").get(url).status_code == 404
    assert api_client_for("manager").delete(url).status_code == 204
    assert api_client_for("contributor").get(url).json()["due_at"] is None


def test_a_published_draft_offers_only_to_clear_a_leftover_deadline(personas, draft):
    deadline_set(draft_id=draft.pk, actor=personas.manager, due_at=soon(), label="Due for review")
    advance(draft, "published", personas)
    page = logged_in(personas.manager).get(reverse("draft-detail", args=[draft.pk])).content.decode()
    assert "Change the deadline" not in page
    assert "Clear the deadline" in page


def test_a_contributor_sees_no_panel_without_a_deadline(personas, draft):
    page = logged_in(personas.contributor).get(reverse("draft-detail", args=[draft.pk])).content.decode()
    assert 'id="deadline-panel"' not in page
