"""The JSON API contract that integrations rely on: shapes, status codes and messages.

Who may take which transition is covered by the permission matrix; these tests pin what the API answers.
"""

import json
import zoneinfo
from datetime import datetime, timedelta

import pytest
import yaml
from django.test import override_settings
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from contributors.models import Board, RoleChange, User
from contributors.permissions import board_role
from drafts.models import Draft, DraftComment
from drafts.services import draft_transition, draft_update
from tests.factories import PASSWORD, BoardFactory, UserFactory, advance, future, make_draft

DRAFT_KEYS = {
    "id": int,
    "board": int,
    "title": str,
    "body": str,
    "state": str,
    "version": int,
    "tags": list,
    "variants": dict,
    "author": int,
    "created_at": str,
    "updated_at": str,
}
EVENT_KEYS = {"transition", "source", "target", "actor", "comment", "created_at"}


@pytest.fixture
def api(api_client_for):
    """api("reviewer") -> an APIClient authenticated as that persona (one client per persona)."""
    clients: dict[str, APIClient] = {}

    def _client(name: str) -> APIClient:
        if name not in clients:
            clients[name] = api_client_for(name)
        return clients[name]

    return _client


def aware(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    assert parsed.tzinfo is not None, f"{value!r} has no UTC offset"
    return parsed


def bulk_drafts(board, author, count: int, **fields) -> list[Draft]:
    """Many drafts in one INSERT: list endpoints only read the draft rows."""
    return Draft.objects.bulk_create(
        [Draft(board=board, author=author, title=f"Bulk {i}", **fields) for i in range(count)]
    )


def post_json(client, url: str, data, method: str = "post"):
    return getattr(client, method)(url, data, format="json")


# --- Authentication ---------------------------------------------------------------------------------


def test_it_issues_a_token_for_a_username_and_password_and_accepts_it(personas, draft):
    anonymous = APIClient()
    response = anonymous.post("/api/auth/token/", {"username": "contributor", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert isinstance(token, str)
    assert len(token) >= 20
    assert AuthToken.objects.get().user == personas.contributor
    assert token not in {t.digest for t in AuthToken.objects.all()}  # only a digest is stored

    anonymous.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    listed = anonymous.get("/api/drafts/")
    assert listed.status_code == 200
    assert [d["id"] for d in listed.json()["results"]] == [draft.pk]

    # Each sign-in gets a token of its own, with an expiry; the first one keeps working.
    again = APIClient().post("/api/auth/token/", {"username": "contributor", "password": PASSWORD}, format="json")
    assert again.json()["token"] != token
    assert again.json()["expiry"]
    assert AuthToken.objects.filter(user=personas.contributor).count() == 2
    assert anonymous.get("/api/drafts/").status_code == 200


@pytest.mark.parametrize(
    "credentials",
    [
        {"username": "contributor", "password": "wrong-password"},
        {"username": "nobody-by-this-name", "password": PASSWORD},
        {"username": "contributor"},
        {"username": "contributor", "password": ""},
    ],
)
def test_it_refuses_bad_credentials_with_400_and_a_message(personas, credentials):
    response = APIClient().post("/api/auth/token/", credentials, format="json")
    assert response.status_code == 400
    body = response.json()
    assert "token" not in body
    messages = [m for msgs in body.values() for m in msgs]
    assert messages
    assert all(isinstance(m, str) and m for m in messages)
    assert not AuthToken.objects.exists()


def test_it_refuses_a_token_to_an_inactive_user(personas):
    personas.contributor.is_active = False
    personas.contributor.save()
    response = APIClient().post("/api/auth/token/", {"username": "contributor", "password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["Unable to log in with provided credentials."]


def test_it_answers_401_without_credentials_or_with_a_bad_token(personas, draft):
    response = APIClient().get("/api/drafts/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get(f"/api/drafts/{draft.pk}/").status_code == 401


# --- The draft resource ------------------------------------------------------------------------------


def assert_draft_shape(data: dict) -> None:
    for key, kind in DRAFT_KEYS.items():
        assert key in data, f"missing key {key!r}"
        assert isinstance(data[key], kind), f"{key!r} is {data[key]!r}"
        assert not isinstance(data[key], bool), f"{key!r} is {data[key]!r}"
    assert all(isinstance(t, str) for t in data["tags"])
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in data["variants"].items())
    aware(data["created_at"])
    aware(data["updated_at"])


def test_it_serializes_a_draft_with_the_documented_keys_and_types(personas, api):
    draft = make_draft(
        personas.board, personas.contributor, title="Shape", body="Body", tags=["launch"], variants={"kind:x": "Short"}
    )
    detail = api("contributor").get(f"/api/drafts/{draft.pk}/").json()
    assert_draft_shape(detail)
    assert detail["id"] == draft.pk
    assert detail["board"] == personas.board.pk
    assert detail["author"] == personas.contributor.pk
    assert (detail["title"], detail["body"], detail["state"], detail["version"]) == ("Shape", "Body", "draft", 1)
    assert detail["tags"] == ["launch"]
    assert detail["variants"] == {"kind:x": "Short"}
    assert aware(detail["created_at"]) == draft.created_at
    assert sorted(detail["available_transitions"]) == ["archive", "submit"]

    listed = api("contributor").get("/api/drafts/").json()["results"]
    assert len(listed) == 1
    assert_draft_shape(listed[0])
    assert {k: listed[0][k] for k in DRAFT_KEYS} == {k: detail[k] for k in DRAFT_KEYS}


# --- Create ------------------------------------------------------------------------------------------


def test_it_creates_a_draft_with_201(personas, api):
    response = post_json(
        api("contributor"),
        "/api/drafts/",
        {"board": personas.board.pk, "title": "  New post ", "body": "Hello", "tags": ["a", "a", "b"]},
    )
    assert response.status_code == 201
    data = response.json()
    assert_draft_shape(data)
    draft = Draft.objects.get(pk=data["id"])
    assert (draft.board, draft.author) == (personas.board, personas.contributor)
    assert (draft.title, draft.body) == ("New post", "Hello")
    assert data["tags"] == draft.tags == ["a", "b"]
    assert (data["state"], data["version"]) == ("draft", 1)
    assert list(draft.revisions.values_list("number", flat=True)) == [1]
    assert list(draft.events.values_list("transition", flat=True)) == ["create"]


def test_it_refuses_a_board_the_user_cannot_see_exactly_like_a_missing_board(personas, api):
    client = api("contributor")
    missing_id = Board.objects.order_by("-pk").first().pk + 1000
    hidden = post_json(client, "/api/drafts/", {"board": personas.other_board.pk, "title": "Sneaky"})
    missing = post_json(client, "/api/drafts/", {"board": missing_id, "title": "Sneaky"})
    assert hidden.status_code == missing.status_code == 400
    assert set(hidden.json()) == set(missing.json()) == {"board"}
    hidden_message = hidden.json()["board"][0].replace(str(personas.other_board.pk), "ID")
    assert hidden_message == missing.json()["board"][0].replace(str(missing_id), "ID")
    assert not Draft.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": None}, "title"),
        ({"title": ["a", "list"]}, "title"),
        ({"tags": ["<script>"]}, "tags"),
        ({"tags": ["x" * 41]}, "tags"),
        ({"tags": [f"t{i}" for i in range(21)]}, "tags"),
        ({"tags": "launch, spring"}, "tags"),
        ({"tags": [None]}, "tags"),
        ({"tags": {"a": "b"}}, "tags"),
        ({"variants": ["x", "short"]}, "variants"),
        ({"variants": "x"}, "variants"),
        ({"variants": {"X!": "shouting"}}, "variants"),
        ({"variants": {"x": None}}, "variants"),
        ({"variants": {"x": {"nested": "dict"}}}, "variants"),
        ({"body": ["not", "text"]}, "body"),
        ({"body": "a\x00b"}, "body"),
        ({"board": "launch"}, "board"),
        ({"board": None}, "board"),
        ({"board": True}, "board"),
    ],
)
def test_it_refuses_bad_content_on_create_with_field_messages(personas, api, payload, field):
    data = {"board": personas.board.pk, "title": "Fine", **payload}
    response = post_json(api("contributor"), "/api/drafts/", data)
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body, body
    assert body[field], body
    assert not Draft.objects.exists()


def test_it_requires_board_and_title_on_create(personas, api):
    response = post_json(api("contributor"), "/api/drafts/", {})
    assert response.status_code == 400
    assert set(response.json()) == {"board", "title"}
    assert response.json()["title"] == ["This field is required."]


# --- Update --------------------------------------------------------------------------------------------


def test_it_updates_with_the_current_version_and_bumps_it(personas, api, draft):
    response = post_json(
        api("contributor"),
        f"/api/drafts/{draft.pk}/",
        {"version": 1, "title": "Better title", "tags": ["spring"]},
        method="patch",
    )
    assert response.status_code == 200
    data = response.json()
    assert (data["version"], data["title"], data["tags"]) == (2, "Better title", ["spring"])
    assert data["body"] == draft.body  # untouched fields keep their content
    draft.refresh_from_db()
    assert (draft.version, draft.title) == (2, "Better title")
    assert list(draft.revisions.values_list("number", flat=True)) == [1, 2]

    # The next edit starts from the new version.
    again = post_json(api("contributor"), f"/api/drafts/{draft.pk}/", {"version": 2, "body": "New"}, method="patch")
    assert (again.status_code, again.json()["version"]) == (200, 3)


def test_it_refuses_a_stale_version_with_409_and_changes_nothing(personas, api, draft):
    draft_update(draft_id=draft.pk, actor=personas.reviewer, version=1, title="Reviewer's title")
    response = post_json(
        api("contributor"), f"/api/drafts/{draft.pk}/", {"version": 1, "title": "Mine"}, method="patch"
    )
    assert response.status_code == 409
    assert "version 1" in response.json()["detail"]
    draft.refresh_from_db()
    assert (draft.title, draft.version) == ("Reviewer's title", 2)
    assert draft.revisions.count() == 2


@pytest.mark.parametrize("payload", [{"title": "No version"}, {"version": None, "title": "x"}, {"version": "one"}])
def test_it_requires_a_valid_version_to_update(personas, api, draft, payload):
    response = post_json(api("contributor"), f"/api/drafts/{draft.pk}/", payload, method="patch")
    assert response.status_code == 400
    assert response.json()["version"]
    draft.refresh_from_db()
    assert (draft.title, draft.version) == ("Spring launch post", 1)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": ["a"]}, "title"),
        ({"title": ""}, "title"),
        ({"tags": "a,b"}, "tags"),
        ({"tags": ["bad/tag"]}, "tags"),
        ({"variants": ["x"]}, "variants"),
        ({"variants": {"Bad Key": "x"}}, "variants"),
    ],
)
def test_it_refuses_bad_content_on_update_with_field_messages(personas, api, draft, payload, field):
    response = post_json(api("contributor"), f"/api/drafts/{draft.pk}/", {"version": 1, **payload}, method="patch")
    assert response.status_code == 400
    assert response.json()[field]
    draft.refresh_from_db()
    assert draft.version == 1


# --- Transitions ----------------------------------------------------------------------------------------


def transition_url(draft, name: str) -> str:
    return f"/api/drafts/{draft.pk}/transitions/{name}/"


def test_it_submits_and_answers_with_the_event_and_the_draft(personas, api, draft):
    response = post_json(api("contributor"), transition_url(draft, "submit"), {})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"event", "draft"}
    event = body["event"]
    assert set(event) >= EVENT_KEYS
    assert (event["transition"], event["source"], event["target"], event["actor"]) == (
        "submit",
        "draft",
        "review",
        "contributor",
    )
    assert_draft_shape(body["draft"])
    assert (body["draft"]["state"], body["draft"]["version"]) == ("review", 2)
    assert body["draft"]["available_transitions"] == ["archive"]
    draft.refresh_from_db()
    assert (draft.state, draft.version) == ("review", 2)


def test_it_schedules_at_an_iso_8601_time_with_an_offset(personas, api, draft):
    advance(draft, "approved", personas)
    when = (timezone.now() + timedelta(days=3)).replace(microsecond=0).astimezone(zoneinfo.ZoneInfo("America/New_York"))
    response = post_json(
        api("manager"), transition_url(draft, "schedule"), {"publish_at": when.isoformat(), "version": draft.version}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["draft"]["state"] == "scheduled"
    assert aware(body["draft"]["publish_at"]) == when
    assert aware(body["event"]["data"]["publish_at"]) == when
    draft.refresh_from_db()
    assert draft.publish_at == when


@pytest.mark.parametrize(
    "publish_at",
    [
        None,
        "",
        "next tuesday",
        "2020-01-01T10:00:00+00:00",
        5,
        ["2030-01-01T10:00:00Z"],
    ],
)
def test_it_refuses_schedule_without_a_future_publish_at(personas, api, draft, publish_at):
    advance(draft, "approved", personas)
    payload = {} if publish_at is None else {"publish_at": publish_at}
    response = post_json(api("manager"), transition_url(draft, "schedule"), payload)
    assert response.status_code == 400
    assert response.json()["publish_at"]
    draft.refresh_from_db()
    assert (draft.state, draft.publish_at) == ("approved", None)


def test_it_requires_a_comment_to_request_changes(personas, api, draft):
    advance(draft, "review", personas)
    for payload in ({}, {"comment": ""}, {"comment": "   \n "}):
        response = post_json(api("reviewer"), transition_url(draft, "request_changes"), payload)
        assert response.status_code == 400
        assert response.json()["comment"]
    draft.refresh_from_db()
    assert draft.state == "review"

    response = post_json(api("reviewer"), transition_url(draft, "request_changes"), {"comment": "Shorter, please."})
    assert response.status_code == 200
    assert response.json()["event"]["comment"] == "Shorter, please."
    assert response.json()["draft"]["state"] == "draft"


def test_it_answers_409_for_a_transition_the_state_does_not_allow(personas, api, draft):
    response = post_json(api("reviewer"), transition_url(draft, "approve"), {})
    assert response.status_code == 409
    assert response.json()["detail"] == "A draft in state 'draft' cannot be approved."
    response = post_json(api("manager"), transition_url(draft, "schedule"), {"publish_at": "2099-01-01T00:00:00+00:00"})
    assert response.status_code == 409
    draft.refresh_from_db()
    assert (draft.state, draft.version) == ("draft", 1)
    assert list(draft.events.values_list("transition", flat=True)) == ["create"]


@pytest.mark.parametrize("name", ["frobnicate", "delete", "mark-published", "Submit", "submit2"])
def test_it_answers_404_for_an_unknown_transition_name(personas, api, draft, name):
    response = post_json(api("manager"), transition_url(draft, name), {})
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_it_answers_403_for_a_transition_the_user_may_not_take(personas, api, draft):
    advance(draft, "review", personas)
    response = post_json(api("contributor"), transition_url(draft, "approve"), {})
    assert response.status_code == 403
    assert "own draft" in response.json()["detail"]

    draft_transition(draft_id=draft.pk, name="approve", actor=personas.reviewer)
    draft_transition(draft_id=draft.pk, name="schedule", actor=personas.manager, publish_at=future())
    response = post_json(api("manager"), transition_url(draft, "mark_published"), {})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.state == "scheduled"


def test_it_answers_404_not_403_to_someone_who_cannot_see_the_draft(personas, api, draft):
    response = post_json(api("outsider"), transition_url(draft, "submit"), {})
    assert response.status_code == 404
    assert api("outsider").get(f"/api/drafts/{draft.pk}/").status_code == 404
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_it_answers_409_for_a_stale_version_on_a_transition(personas, api, draft):
    draft_update(draft_id=draft.pk, actor=personas.contributor, version=1, body="Changed meanwhile")
    response = post_json(api("contributor"), transition_url(draft, "submit"), {"version": 1})
    assert response.status_code == 409
    assert "version 1" in response.json()["detail"]
    draft.refresh_from_db()
    assert (draft.state, draft.version) == ("draft", 2)

    response = post_json(api("contributor"), transition_url(draft, "submit"), {"version": 2})
    assert response.status_code == 200
    assert response.json()["draft"]["version"] == 3


# --- Events, revisions, diff, comments ----------------------------------------------------------------------


def test_it_lists_the_events_of_a_draft(personas, api, draft):
    advance(draft, "review", personas)
    draft_transition(draft_id=draft.pk, name="request_changes", actor=personas.reviewer, comment="Add a picture.")
    response = api("contributor").get(f"/api/drafts/{draft.pk}/events/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    events = body["results"]
    for event in events:
        assert set(event) >= EVENT_KEYS
        aware(event["created_at"])
    assert [(e["transition"], e["source"], e["target"], e["actor"]) for e in events] == [
        ("create", "", "draft", "contributor"),
        ("submit", "draft", "review", "contributor"),
        ("request_changes", "review", "draft", "reviewer"),
    ]
    assert [e["comment"] for e in events] == ["", "", "Add a picture."]


def test_it_lists_revisions_and_returns_one(personas, api, draft):
    draft_update(draft_id=draft.pk, actor=personas.contributor, version=1, title="Second title")
    draft_update(draft_id=draft.pk, actor=personas.reviewer, version=2, body="Third body")
    client = api("contributor")
    listed = client.get(f"/api/drafts/{draft.pk}/revisions/").json()
    assert listed["count"] == 3
    assert [(r["number"], r["title"], r["author"]) for r in listed["results"]] == [
        (1, "Spring launch post", "contributor"),
        (2, "Second title", "contributor"),
        (3, "Second title", "reviewer"),
    ]
    one = client.get(f"/api/drafts/{draft.pk}/revisions/3/")
    assert one.status_code == 200
    assert {k: one.json()[k] for k in ("number", "title", "body", "author")} == {
        "number": 3,
        "title": "Second title",
        "body": "Third body",
        "author": "reviewer",
    }
    assert client.get(f"/api/drafts/{draft.pk}/revisions/4/").status_code == 404
    assert client.get(f"/api/drafts/{draft.pk}/revisions/0/").status_code == 404


def test_it_diffs_two_revisions(personas, api, draft):
    client = api("contributor")
    only_one = client.get(f"/api/drafts/{draft.pk}/diff/")
    assert {k: v for k, v in only_one.json().items() if k != "changes"} == {
        "from_revision": 1,
        "to_revision": 1,
        "diff": [],
    }

    draft_update(draft_id=draft.pk, actor=personas.contributor, version=1, title="Second title")
    draft_update(draft_id=draft.pk, actor=personas.contributor, version=2, body="A new body", tags=["spring"])

    default = client.get(f"/api/drafts/{draft.pk}/diff/").json()
    assert (default["from_revision"], default["to_revision"]) == (2, 3)
    assert "-Some **markdown** body." in default["diff"]
    assert "+A new body" in default["diff"]
    assert "+Tags: spring" in default["diff"]
    assert "-# Spring launch post" not in default["diff"]

    explicit = client.get(f"/api/drafts/{draft.pk}/diff/", {"from": 1, "to": 2}).json()
    assert (explicit["from_revision"], explicit["to_revision"]) == (1, 2)
    assert "-# Spring launch post" in explicit["diff"]
    assert "+# Second title" in explicit["diff"]

    only_to = client.get(f"/api/drafts/{draft.pk}/diff/", {"to": 2}).json()
    assert (only_to["from_revision"], only_to["to_revision"]) == (1, 2)


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ({"from": "abc"}, 400, "from"),
        ({"to": "1.5"}, 400, "to"),
        ({"from": "1", "to": "two"}, 400, "to"),
        ({"from": "1", "to": "9"}, 404, None),
        ({"from": "7"}, 404, None),
        ({"to": "99999999999999999999999"}, 404, None),
    ],
)
def test_it_refuses_bad_or_missing_revision_numbers_in_a_diff(personas, api, draft, query, status, field):
    draft_update(draft_id=draft.pk, actor=personas.contributor, version=1, title="Second title")
    response = api("contributor").get(f"/api/drafts/{draft.pk}/diff/", query)
    assert response.status_code == status
    if field:
        assert response.json()[field]


def test_it_lists_and_adds_comments(personas, api, draft):
    response = post_json(api("reviewer"), f"/api/drafts/{draft.pk}/comments/", {"body": "  Looks good.  "})
    assert response.status_code == 201
    created = response.json()
    assert {k: created[k] for k in ("author", "body")} == {"author": "reviewer", "body": "Looks good."}
    assert isinstance(created["id"], int)
    aware(created["created_at"])

    listed = api("contributor").get(f"/api/drafts/{draft.pk}/comments/").json()
    assert listed["count"] == 1
    assert listed["results"] == [created]


@pytest.mark.parametrize("payload", [{}, {"body": ""}, {"body": "   "}, {"body": None}, {"body": ["x"]}])
def test_it_refuses_an_empty_comment(personas, api, draft, payload):
    response = post_json(api("contributor"), f"/api/drafts/{draft.pk}/comments/", payload)
    assert response.status_code == 400
    assert response.json()["body"]
    assert not DraftComment.objects.exists()


# --- Lists ---------------------------------------------------------------------------------------------------


def test_it_paginates_the_draft_list(personas, api):
    bulk_drafts(personas.board, personas.contributor, 230)
    client = api("reviewer")

    first = client.get("/api/drafts/").json()
    assert first["count"] == 230
    assert len(first["results"]) == 50
    assert first["previous"] is None
    assert "page=2" in first["next"]

    second = client.get("/api/drafts/", {"page": 2, "page_size": 100}).json()
    assert len(second["results"]) == 100
    assert "page=3" in second["next"]
    assert "page=1" not in second["previous"]  # DRF leaves page=1 out of the link
    last = client.get("/api/drafts/", {"page": 3, "page_size": 100}).json()
    assert len(last["results"]) == 30
    assert last["next"] is None

    everything = client.get("/api/drafts/", {"page_size": 500}).json()
    assert len(everything["results"]) == 200
    assert everything["count"] == 230
    assert everything["next"]

    pages = [client.get("/api/drafts/", {"page": page, "page_size": 100}).json() for page in (1, 2, 3)]
    ids = [d["id"] for page in pages for d in page["results"]]
    assert len(ids) == len(set(ids)) == 230

    assert client.get("/api/drafts/", {"page": 99}).status_code == 404


def test_it_filters_the_draft_list_by_board_and_state(personas, api):
    mine = make_draft(personas.board, personas.contributor, title="Mine")
    submitted = make_draft(personas.board, personas.contributor, title="Submitted")
    draft_transition(draft_id=submitted.pk, name="submit", actor=personas.contributor)
    elsewhere = make_draft(personas.other_board, personas.outsider, title="Elsewhere")

    def ids(client, **params):
        response = client.get("/api/drafts/", params)
        assert response.status_code == 200
        return {d["id"] for d in response.json()["results"]}

    admin = api("admin")
    assert ids(admin) == {mine.pk, submitted.pk, elsewhere.pk}
    assert ids(admin, board=personas.board.pk) == {mine.pk, submitted.pk}
    assert ids(admin, board=personas.other_board.pk) == {elsewhere.pk}
    assert ids(admin, state="review") == {submitted.pk}
    assert ids(admin, board=personas.other_board.pk, state="review") == set()

    # A filter never widens what a user may see.
    assert ids(api("reviewer"), board=personas.other_board.pk) == set()
    assert ids(api("outsider"), board=personas.board.pk) == set()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"state": "bogus"}, "state"),
        ({"state": "REVIEW"}, "state"),
        ({"board": "launch"}, "board"),
        ({"board": "1.5"}, "board"),
        ({"board": "99999999999999999999999"}, "board"),
    ],
)
def test_it_refuses_an_invalid_filter_with_a_message(personas, api, draft, params, field):
    response = api("reviewer").get("/api/drafts/", params)
    assert response.status_code == 400
    messages = response.json()[field]
    assert messages
    assert all(isinstance(m, str) and m for m in messages)


# --- Bad input never gives a 500 ---------------------------------------------------------------------------


def endpoints(personas, draft) -> list[tuple[str, str]]:
    return [
        ("post", "/api/drafts/"),
        ("patch", f"/api/drafts/{draft.pk}/"),
        ("put", f"/api/drafts/{draft.pk}/"),
        ("post", f"/api/drafts/{draft.pk}/transitions/submit/"),
        ("post", f"/api/drafts/{draft.pk}/comments/"),
        ("post", f"/api/boards/{personas.board.pk}/members/"),
        ("post", "/api/auth/token/"),
    ]


@pytest.mark.parametrize(
    "raw",
    [
        "{",
        '{"title": "x",}',
        "{'title': 'single quotes'}",
        '{"title": NaN}',
        '{"title": "x"} trailing',
        b'{"title": "\xff\xfe"}',
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 50_000 + "1" + "}" * 50_000,
    ],
    ids=["unclosed", "trailing-comma", "single-quotes", "nan", "trailing-text", "bad-utf8", "deep-list", "deep-object"],
)
def test_it_answers_400_for_malformed_json(personas, api, draft, raw):
    for method, url in endpoints(personas, draft):
        response = getattr(api("manager"), method)(url, raw, content_type="application/json")
        assert response.status_code == 400, (method, url, response.status_code)
        assert "detail" in response.json()
    draft.refresh_from_db()
    assert (draft.version, draft.state, Draft.objects.count()) == (1, "draft", 1)


@pytest.mark.parametrize("raw", ["[]", "[1, 2]", "null", '"a string"', "42", "true"])
def test_it_answers_400_for_json_that_is_not_an_object(personas, api, draft, raw):
    for method, url in endpoints(personas, draft):
        response = getattr(api("manager"), method)(url, raw, content_type="application/json")
        assert response.status_code == 400, (method, url, response.status_code)
    draft.refresh_from_db()
    assert (draft.version, draft.state) == (1, "draft")


@pytest.mark.parametrize(
    ("method", "url", "payload", "field"),
    [
        ("post", "/api/drafts/", {"board": 1e999, "title": "x"}, "board"),
        ("post", "/api/drafts/", {"board": 10**30, "title": "x"}, "board"),
        ("post", "/api/drafts/", {"board": -1, "title": "x"}, "board"),
        ("patch", "/api/drafts/{id}/", {"version": 1e999}, "version"),
        ("patch", "/api/drafts/{id}/", {"version": 1.5}, "version"),
        ("post", "/api/drafts/{id}/transitions/submit/", {"version": "abc"}, "version"),
        ("post", "/api/drafts/{id}/transitions/submit/", {"version": 1e999}, "version"),
        ("post", "/api/drafts/{id}/transitions/submit/", {"comment": {"a": 1}}, "comment"),
        ("post", "/api/drafts/{id}/transitions/submit/", {"comment": "x" * 10_001}, "comment"),
        ("post", "/api/drafts/{id}/comments/", {"body": {"text": "x"}}, "body"),
        ("post", "/api/drafts/{id}/comments/", {"body": "x" * 10_001}, "body"),
    ],
)
def test_it_answers_400_for_wrong_types_and_out_of_range_values(personas, api, draft, method, url, payload, field):
    body = json.dumps(payload).replace("Infinity", "1e999")  # json.dumps writes float('inf') as Infinity
    response = getattr(api("contributor"), method)(url.format(id=draft.pk), body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert field in response.json() or "detail" in response.json()
    draft.refresh_from_db()
    assert (draft.version, draft.state, Draft.objects.count()) == (1, "draft", 1)


def test_it_answers_413_for_a_json_body_over_the_upload_limit(personas, api, draft):
    client = api("contributor")
    big = {"board": personas.board.pk, "title": "Big", "body": "x" * 5000}
    small = {"board": personas.board.pk, "title": "Small", "body": "x" * 100}
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2048):
        response = post_json(client, "/api/drafts/", big)
        assert response.status_code == 413
        assert "limit" in response.json()["detail"]
        patched = post_json(client, f"/api/drafts/{draft.pk}/", {"version": 1, "body": "y" * 5000}, method="patch")
        assert patched.status_code == 413
        assert post_json(client, "/api/drafts/", small).status_code == 201
    assert list(Draft.objects.order_by("pk").values_list("title", flat=True)) == ["Spring launch post", "Small"]
    draft.refresh_from_db()
    assert draft.version == 1


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/drafts/abc/"),
        ("get", "/api/drafts/1.5/"),
        ("get", "/api/drafts/-1/"),
        ("get", "/api/drafts/99999999999999999999999/"),
        ("patch", "/api/drafts/abc/"),
        ("get", "/api/drafts/abc/events/"),
        ("get", "/api/drafts/abc/revisions/"),
        ("get", "/api/drafts/{id}/revisions/abc/"),
        ("get", "/api/drafts/{id}/revisions/99999999999999999999999/"),
        ("get", "/api/drafts/abc/diff/"),
        ("get", "/api/drafts/abc/comments/"),
        ("post", "/api/drafts/abc/comments/"),
        ("post", "/api/drafts/abc/transitions/submit/"),
        ("post", "/api/drafts/99999999999999999999999/transitions/submit/"),
        ("get", "/api/boards/abc/"),
        ("get", "/api/boards/99999999999999999999999/"),
        ("get", "/api/boards/abc/members/"),
        ("delete", "/api/boards/{board}/members/abc/"),
        ("delete", "/api/boards/{board}/members/99999999999999999999999/"),
    ],
)
def test_it_answers_404_for_non_numeric_or_impossible_ids_in_urls(personas, api, draft, method, url):
    url = url.format(id=draft.pk, board=personas.board.pk)
    response = getattr(api("manager"), method)(url, {"body": "x", "version": 1}, format="json")
    assert response.status_code == 404, (url, response.status_code)
    draft.refresh_from_db()
    assert (draft.version, draft.state) == (1, "draft")


# --- Boards ----------------------------------------------------------------------------------------------------


def board_roles(client) -> dict[str, str]:
    response = client.get("/api/boards/")
    assert response.status_code == 200
    return {b["slug"]: b["role"] for b in response.json()["results"]}


def role_of(user, board) -> str | None:
    """The role as stored now (a fresh user object: permission checks are cached per user object)."""
    return board_role(User.objects.get(pk=user.pk), board)


def test_it_lists_only_the_users_boards_with_their_role(personas, api):
    BoardFactory(name="Unrelated", slug="unrelated")
    assert board_roles(api("contributor")) == {"launch": "contributor"}
    assert board_roles(api("reviewer")) == {"launch": "reviewer"}
    assert board_roles(api("manager")) == {"launch": "manager"}
    assert board_roles(api("outsider")) == {"elsewhere": "contributor"}
    assert board_roles(api("admin")) == {"launch": "admin", "elsewhere": "admin", "unrelated": "admin"}

    board = api("reviewer").get("/api/boards/").json()["results"][0]
    assert {"id", "name", "slug", "time_zone", "required_approvals", "role"} <= set(board)
    assert board["id"] == personas.board.pk
    assert api("outsider").get(f"/api/boards/{personas.board.pk}/").status_code == 404


def test_it_lets_a_manager_list_add_change_and_remove_members(personas, api):
    client = api("manager")
    url = f"/api/boards/{personas.board.pk}/members/"
    members = client.get(url).json()
    assert [(m["username"], m["role"]) for m in members] == [
        ("manager", "manager"),
        ("reviewer", "reviewer"),
        ("contributor", "contributor"),
    ]
    assert members[0]["user"] == personas.manager.pk

    newbie = UserFactory(username="newbie")
    added = post_json(client, url, {"username": "newbie", "role": "contributor"})
    assert added.status_code == 201
    assert added.json() == {"user": newbie.pk, "username": "newbie", "role": "contributor"}
    assert role_of(newbie, personas.board) == "contributor"

    promoted = post_json(client, url, {"username": "newbie", "role": "reviewer"})
    assert promoted.status_code == 201
    assert ("newbie", "reviewer") in [(m["username"], m["role"]) for m in client.get(url).json()]

    removed = client.delete(f"{url}{newbie.pk}/")
    assert removed.status_code == 204
    assert "newbie" not in [m["username"] for m in client.get(url).json()]
    assert client.delete(f"{url}{newbie.pk}/").status_code == 404

    changes = RoleChange.objects.filter(user=newbie).order_by("pk")
    assert [(c.previous_role, c.new_role, c.actor) for c in changes] == [
        ("", "contributor", personas.manager),
        ("contributor", "reviewer", personas.manager),
        ("reviewer", "", personas.manager),
    ]
    newbie_client = APIClient()
    newbie_client.force_authenticate(newbie)
    assert board_roles(newbie_client) == {}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"username": "ghost", "role": "reviewer"}, "username"),
        ({"username": "sleeper", "role": "reviewer"}, "username"),
        ({"username": "contributor", "role": "owner"}, "role"),
        ({"username": "contributor"}, "role"),
        ({"role": "reviewer"}, "username"),
        ({"username": ["contributor"], "role": "reviewer"}, "username"),
    ],
)
def test_it_refuses_an_unknown_username_or_role_with_400(personas, api, payload, field):
    UserFactory(username="sleeper", is_active=False)
    before = RoleChange.objects.count()
    response = post_json(api("manager"), f"/api/boards/{personas.board.pk}/members/", payload)
    assert response.status_code == 400
    assert response.json()[field]
    assert RoleChange.objects.count() == before
    assert role_of(personas.contributor, personas.board) == "contributor"


def test_it_keeps_members_to_managers(personas, api):
    url = f"/api/boards/{personas.board.pk}/members/"
    assert api("reviewer").get(url).status_code == 403
    assert post_json(api("contributor"), url, {"username": "contributor", "role": "manager"}).status_code == 403
    assert api("reviewer").delete(f"{url}{personas.contributor.pk}/").status_code == 403
    assert api("outsider").get(url).status_code == 404
    assert role_of(personas.contributor, personas.board) == "contributor"


# --- Schema -----------------------------------------------------------------------------------------------------


def test_it_serves_an_openapi_3_document_with_the_drafts_and_transitions_paths(personas, api):
    client = api("contributor")
    response = client.get("/api/schema/")
    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    assert str(document["openapi"]).startswith("3.")
    as_json = client.get("/api/schema/", {"format": "json"})
    assert as_json.status_code == 200
    assert json.loads(as_json.content) == document

    paths = document["paths"]
    for path in ("/api/drafts/", "/api/drafts/{id}/", "/api/drafts/{id}/events/", "/api/boards/"):
        assert "get" in paths[path], path
    assert "post" in paths["/api/drafts/"]
    transition = paths["/api/drafts/{id}/transitions/{name}/"]["post"]
    name = next(p for p in transition["parameters"] if p["name"] == "name")
    assert {"submit", "approve", "request_changes", "schedule"} <= set(name["schema"]["enum"])
    assert "mark_published" not in name["schema"]["enum"]
