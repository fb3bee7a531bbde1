"""Briefs: managers call for contributions, contributors claim a place and get a draft to write for it.

Who may open which URL is in the permission matrix (tests/matrix_briefs.py); these tests pin the rules,
the messages and what each person sees. The race for the last place is in test_briefs_concurrency.py.
"""

import zoneinfo
from datetime import datetime, timedelta
from urllib.parse import quote

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cocreate.errors import Conflict
from contributors.briefs import demo
from contributors.briefs.models import Brief, BriefClaim
from contributors.briefs.selectors import brief_get_for_user, brief_list_for_user
from contributors.briefs.services import brief_claim, brief_close, brief_create, brief_update
from drafts.models import Draft, DraftEvent
from tests.factories import UserFactory, advance, make_draft, member


def in_days(days: float) -> datetime:
    return timezone.now() + timedelta(days=days)


def post_brief(personas, **fields) -> Brief:
    fields.setdefault("topic", "One chapter of the launch e-book")
    fields.setdefault("description", "Explain **one** feature.")
    fields.setdefault("deadline", in_days(7))
    fields.setdefault("max_claims", 2)
    return brief_create(board=personas.board, actor=personas.manager, **fields)


def expire(brief: Brief) -> None:
    """Move the deadline into the past (the service refuses to set one there, as it should)."""
    Brief.objects.filter(pk=brief.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    brief.refresh_from_db()


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def brief(personas) -> Brief:
    return post_brief(personas)


# --- Posting, editing, closing ------------------------------------------------------------------------


def test_it_lets_a_manager_post_a_brief_with_cleaned_fields(personas):
    brief = post_brief(personas, topic="  Customer   stories ", channels=["LinkedIn", "x", "linkedin"], max_claims=10)

    brief.refresh_from_db()
    assert brief.topic == "Customer stories"
    assert brief.channels == ["linkedin", "x"]
    assert brief.max_claims == 10
    assert brief.created_by == personas.manager
    assert brief.closed_at is None


@pytest.mark.parametrize("persona", ["contributor", "reviewer"])
def test_it_refuses_a_brief_from_anyone_but_a_manager(personas, persona):
    with pytest.raises(PermissionDenied, match="managers"):
        brief_create(board=personas.board, actor=getattr(personas, persona), topic="T", deadline=in_days(1))
    assert Brief.objects.count() == 0


def test_it_lets_a_site_admin_post_a_brief(personas):
    brief = brief_create(board=personas.board, actor=personas.admin, topic="From the admin", deadline=in_days(1))
    assert brief.created_by == personas.admin


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"topic": "   "}, "topic", "topic is required"),
        ({"topic": "x" * 201}, "topic", "200 characters"),
        ({"deadline": None}, "deadline", "deadline is required"),
        ({"deadline": timezone.now() - timedelta(hours=1)}, "deadline", "must be in the future"),
        ({"deadline": datetime(2099, 1, 1, 12, 0)}, "deadline", "UTC offset"),
        ({"max_claims": 0}, "max_claims", "Between 1 and 100"),
        ({"max_claims": 101}, "max_claims", "Between 1 and 100"),
        ({"channels": ["Not a slug!"]}, "channels", "lower-case slugs"),
        ({"channels": "linkedin"}, "channels", "list of channel keys"),
    ],
)
def test_it_refuses_a_brief_with_bad_fields_and_says_which(personas, fields, field, message):
    with pytest.raises(ValidationError) as refused:
        post_brief(personas, **fields)
    assert field in refused.value.message_dict
    assert message in " ".join(refused.value.message_dict[field])
    assert Brief.objects.count() == 0


def test_it_lets_a_manager_edit_a_brief_and_extend_an_expired_deadline(personas, brief):
    expire(brief)
    new_deadline = in_days(3)

    brief_update(brief_id=brief.pk, actor=personas.manager, topic="Chapter two", deadline=new_deadline, max_claims=5)

    brief.refresh_from_db()
    assert (brief.topic, brief.deadline, brief.max_claims) == ("Chapter two", new_deadline, 5)
    assert brief.description == "Explain **one** feature."  # untouched: not given


def test_it_refuses_an_edit_from_a_contributor(personas, brief):
    with pytest.raises(PermissionDenied):
        brief_update(brief_id=brief.pk, actor=personas.contributor, topic="Mine now")
    brief.refresh_from_db()
    assert brief.topic == "One chapter of the launch e-book"


def test_it_refuses_fewer_places_than_people_who_already_claimed(personas, brief):
    brief_claim(brief_id=brief.pk, actor=personas.contributor)
    brief_claim(brief_id=brief.pk, actor=personas.reviewer)

    with pytest.raises(ValidationError, match="2 contributors have already claimed"):
        brief_update(brief_id=brief.pk, actor=personas.manager, max_claims=1)
    brief.refresh_from_db()
    assert brief.max_claims == 2


def test_it_closes_a_brief_once(personas, brief):
    brief_close(brief_id=brief.pk, actor=personas.manager)
    brief.refresh_from_db()
    assert brief.closed_at is not None

    with pytest.raises(Conflict, match="already closed"):
        brief_close(brief_id=brief.pk, actor=personas.manager)


def test_it_refuses_a_close_from_a_reviewer(personas, brief):
    with pytest.raises(PermissionDenied):
        brief_close(brief_id=brief.pk, actor=personas.reviewer)
    brief.refresh_from_db()
    assert brief.closed_at is None


# --- Claiming ------------------------------------------------------------------------------------------


def test_it_creates_a_draft_titled_with_the_topic_when_a_contributor_claims(personas, brief):
    claim = brief_claim(brief_id=brief.pk, actor=personas.contributor)

    draft = Draft.objects.get(pk=claim.draft_id)
    assert (draft.title, draft.author, draft.board, draft.state) == (
        brief.topic,
        personas.contributor,
        personas.board,
        "draft",
    )
    assert (claim.brief, claim.contributor) == (brief, personas.contributor)
    # Made through draft_create: the first revision and the audit event exist like for any draft.
    assert draft.revisions.count() == 1
    assert DraftEvent.objects.filter(draft=draft, transition="create", actor=personas.contributor).exists()


def test_it_lets_reviewers_and_managers_claim_as_they_write_for_the_board(personas, brief):
    brief_update(brief_id=brief.pk, actor=personas.manager, max_claims=3)
    for user in (personas.reviewer, personas.manager, personas.contributor):
        brief_claim(brief_id=brief.pk, actor=user)
    assert BriefClaim.objects.filter(brief=brief).count() == 3


def test_it_allows_one_claim_per_contributor(personas, brief):
    first = brief_claim(brief_id=brief.pk, actor=personas.contributor)

    with pytest.raises(Conflict, match=f"already claimed this brief: your draft is #{first.draft_id}"):
        brief_claim(brief_id=brief.pk, actor=personas.contributor)
    assert BriefClaim.objects.filter(brief=brief).count() == 1
    assert Draft.objects.filter(author=personas.contributor).count() == 1


def test_it_refuses_a_claim_when_every_place_is_taken(personas, brief):
    brief_claim(brief_id=brief.pk, actor=personas.contributor)
    brief_claim(brief_id=brief.pk, actor=personas.reviewer)
    drafts_before = Draft.objects.count()

    with pytest.raises(Conflict, match="All 2 places on this brief are taken"):
        brief_claim(brief_id=brief.pk, actor=personas.manager)
    assert BriefClaim.objects.filter(brief=brief).count() == 2
    assert Draft.objects.count() == drafts_before, "a refused claim leaves no draft behind"


def test_it_says_the_one_place_is_taken(personas):
    brief = post_brief(personas, max_claims=1)
    brief_claim(brief_id=brief.pk, actor=personas.reviewer)
    with pytest.raises(Conflict, match="The one place on this brief is taken"):
        brief_claim(brief_id=brief.pk, actor=personas.contributor)


def test_it_refuses_a_claim_after_the_deadline(personas, brief):
    expire(brief)
    with pytest.raises(Conflict, match="deadline of this brief passed"):
        brief_claim(brief_id=brief.pk, actor=personas.contributor)
    assert not BriefClaim.objects.exists()
    assert not Draft.objects.exists()


def test_it_refuses_a_claim_on_a_closed_brief(personas, brief):
    brief_close(brief_id=brief.pk, actor=personas.manager)
    with pytest.raises(Conflict, match="closed"):
        brief_claim(brief_id=brief.pk, actor=personas.contributor)
    assert not BriefClaim.objects.exists()


def test_it_hides_a_brief_from_someone_without_a_role_on_its_board(personas, brief):
    with pytest.raises(Http404):
        brief_claim(brief_id=brief.pk, actor=personas.outsider)
    with pytest.raises(Http404):
        brief_get_for_user(personas.outsider, brief.pk)
    assert list(brief_list_for_user(personas.outsider, status="all")) == []
    assert not Draft.objects.filter(author=personas.outsider).exists()


def test_it_lists_open_closed_or_all_briefs(personas, brief):
    closed = post_brief(personas, topic="Closed one")
    brief_close(brief_id=closed.pk, actor=personas.manager)
    expired = post_brief(personas, topic="Expired one")
    expire(expired)
    member_of_both = personas.contributor

    def topics(status):
        return {b.topic for b in brief_list_for_user(member_of_both, status=status)}

    assert topics("open") == {brief.topic}
    assert topics("closed") == {"Closed one", "Expired one"}
    assert topics("all") == {brief.topic, "Closed one", "Expired one"}


# --- The agreement gate -------------------------------------------------------------------------------


@pytest.fixture
def nda(personas):
    """An agreement the board's contributors (not reviewers or managers) must accept, in force since yesterday."""
    from contributors.agreements import services as agreements

    agreement = agreements.agreement_create(title="Launch NDA", actor=personas.admin)
    agreements.agreement_require(agreement=agreement, board=personas.board, role="contributor", actor=personas.admin)
    agreements.agreement_version_publish(
        agreement=agreement, body="Keep it secret.", effective_on=timezone.localdate() - timedelta(days=1), actor=None
    )
    return agreement


def test_it_keeps_briefs_from_a_contributor_until_they_accept_the_agreement(personas, brief, nda, api_client_for):
    from contributors.agreements.services import agreement_accept

    client = logged_in(personas.contributor)
    api = api_client_for("contributor")

    for path in ("/boards/launch/briefs/", f"/briefs/{brief.pk}/"):
        response = client.get(path)  # to the agreement, and back here once signed
        assert (response.status_code, response["Location"]) == (
            302,
            f"/agreements/{nda.pk}/?next={quote(path, safe='')}",
        )
    assert api.get(f"/api/briefs/{brief.pk}/").status_code == 403
    assert api.get("/api/briefs/").json()["results"] == []
    assert api.post(f"/api/briefs/{brief.pk}/claim/").status_code == 403
    assert not BriefClaim.objects.exists()
    # The reviewer's role does not require it.
    assert logged_in(personas.reviewer).get(f"/briefs/{brief.pk}/").status_code == 200

    agreement_accept(agreement=nda, user=personas.contributor, signature="Connie Contributor")

    assert client.get(f"/briefs/{brief.pk}/").status_code == 200
    assert [item["id"] for item in api.get("/api/briefs/").json()["results"]] == [brief.pk]
    assert api.post(f"/api/briefs/{brief.pk}/claim/").status_code == 201


# --- Pages ---------------------------------------------------------------------------------------------


def test_it_links_the_board_page_to_its_briefs(personas):
    response = logged_in(personas.contributor).get("/boards/launch/")
    assert 'href="/boards/launch/briefs/"' in html(response)


def test_it_posts_a_brief_through_the_page_in_the_boards_time_zone(personas):
    client = logged_in(personas.manager)
    response = client.post(
        "/boards/launch/briefs/new/",
        {
            "topic": "Customer stories",
            "description": "Tell us *how* you use it.",
            "channels": ["linkedin", "x"],
            "deadline": "2099-05-01T09:30",
            "max_claims": "4",
        },
    )

    brief = Brief.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/briefs/{brief.pk}/"
    # 09:30 on the board's clock (Europe/Copenhagen, summer time), not the server's.
    assert brief.deadline == datetime(2099, 5, 1, 9, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Copenhagen"))
    assert (brief.channels, brief.max_claims, brief.created_by) == (["linkedin", "x"], 4, personas.manager)


def test_it_shows_the_reason_when_a_page_post_is_refused(personas):
    response = logged_in(personas.manager).post(
        "/boards/launch/briefs/new/",
        {"topic": "Late", "deadline": "2001-01-01T09:00", "max_claims": "1"},
    )
    assert response.status_code == 400
    assert "The deadline must be in the future." in html(response)
    assert not Brief.objects.exists()


def test_it_renders_what_is_wanted_as_sanitized_markdown(personas):
    brief = post_brief(personas, description="Write **boldly**.\n\n<script>alert(1)</script>")
    page = html(logged_in(personas.contributor).get(f"/briefs/{brief.pk}/"))
    assert "<strong>boldly</strong>" in page
    assert "<script>alert(1)</script>" not in page


def test_it_claims_through_the_page_and_links_the_draft_back_to_the_brief(personas, brief):
    client = logged_in(personas.contributor)

    response = client.post(f"/briefs/{brief.pk}/claim/")

    claim = BriefClaim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/drafts/{claim.draft_id}/"
    draft_page = html(client.get(response["Location"]))
    assert f'Written for brief <a href="/briefs/{brief.pk}/">{brief.topic}</a>' in draft_page
    assert "You claimed" in draft_page


def test_it_shows_no_brief_line_on_a_draft_not_written_for_one(personas, draft):
    assert "Written for brief" not in html(logged_in(personas.contributor).get(f"/drafts/{draft.pk}/"))


def test_it_explains_a_refused_claim_on_the_brief_page(personas, brief):
    brief_close(brief_id=brief.pk, actor=personas.manager)
    response = logged_in(personas.contributor).post(f"/briefs/{brief.pk}/claim/")
    assert response.status_code == 409
    assert "This brief is closed: it takes no more claims." in html(response)


def test_it_offers_the_claim_button_only_while_the_brief_is_open(personas, brief):
    client = logged_in(personas.contributor)
    claim_form = f'action="/briefs/{brief.pk}/claim/"'
    assert claim_form in html(client.get(f"/briefs/{brief.pk}/"))
    brief_close(brief_id=brief.pk, actor=personas.manager)
    assert claim_form not in html(client.get(f"/briefs/{brief.pk}/"))


def test_it_shows_contributors_the_claimants_but_only_their_own_draft(personas, brief):
    own = brief_claim(brief_id=brief.pk, actor=personas.contributor)
    others = brief_claim(brief_id=brief.pk, actor=personas.reviewer)

    page = html(logged_in(personas.contributor).get(f"/briefs/{brief.pk}/"))

    assert str(personas.reviewer) in page
    assert str(personas.contributor) in page
    assert f'href="/drafts/{own.draft_id}/"' in page
    assert f'href="/drafts/{others.draft_id}/"' not in page
    assert "not shared with you" in page


def test_it_shows_reviewers_every_claimed_draft_and_its_state(personas, brief):
    first = brief_claim(brief_id=brief.pk, actor=personas.contributor)
    brief_claim(brief_id=brief.pk, actor=personas.manager)
    advance(first.draft, "review", personas)

    page = html(logged_in(personas.reviewer).get(f"/briefs/{brief.pk}/"))

    assert f'href="/drafts/{first.draft_id}/"' in page
    assert "In review" in page
    assert "not shared with you" not in page


def test_it_lists_a_boards_open_briefs_with_their_places(personas, brief):
    brief_claim(brief_id=brief.pk, actor=personas.contributor)
    closed = post_brief(personas, topic="Already closed")
    brief_close(brief_id=closed.pk, actor=personas.manager)
    client = logged_in(personas.contributor)

    page = html(client.get("/boards/launch/briefs/"))
    assert brief.topic in page
    assert "1 of 2" in page
    assert "Already closed" not in page
    assert "Already closed" in html(client.get("/boards/launch/briefs/?status=closed"))


def test_it_edits_and_closes_a_brief_through_the_pages(personas, brief):
    client = logged_in(personas.manager)
    form = html(client.get(f"/briefs/{brief.pk}/edit/"))
    assert 'value="One chapter of the launch e-book"' in form

    response = client.post(
        f"/briefs/{brief.pk}/edit/", {"topic": "Renamed", "deadline": "2099-01-01T10:00", "max_claims": "3"}
    )
    assert response.status_code == 302
    response = client.post(f"/briefs/{brief.pk}/close/")
    assert response.status_code == 302

    brief.refresh_from_db()
    assert (brief.topic, brief.max_claims) == ("Renamed", 3)
    assert brief.closed_at is not None


def _count_queries(client: Client, url: str) -> int:
    client.get(url)  # warm the per-process caches (content types), as a running server has
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_it_renders_brief_pages_with_a_fixed_number_of_queries(personas, brief):
    client = logged_in(personas.reviewer)
    brief_claim(brief_id=brief.pk, actor=personas.contributor)
    small_list = _count_queries(client, "/boards/launch/briefs/")
    small_detail = _count_queries(client, f"/briefs/{brief.pk}/")

    brief_update(brief_id=brief.pk, actor=personas.manager, max_claims=20)
    for i in range(8):
        brief_claim(brief_id=brief.pk, actor=member(personas.board, "contributor", username=f"expert{i}"))
        post_brief(personas, topic=f"Another brief {i}")

    assert _count_queries(client, "/boards/launch/briefs/") == small_list
    assert _count_queries(client, f"/briefs/{brief.pk}/") == small_detail


def test_it_keeps_the_draft_page_query_count_whether_or_not_the_draft_has_a_brief(personas, brief):
    client = logged_in(personas.reviewer)
    plain = make_draft(personas.board, personas.contributor, title="Not for a brief")
    claimed = brief_claim(brief_id=brief.pk, actor=personas.contributor)
    assert _count_queries(client, f"/drafts/{claimed.draft_id}/") == _count_queries(client, f"/drafts/{plain.pk}/")


# --- API -----------------------------------------------------------------------------------------------


def test_it_posts_a_brief_through_the_api(personas, api_client_for):
    response = api_client_for("manager").post(
        "/api/briefs/",
        {
            "board": personas.board.pk,
            "topic": "Customer stories",
            "description": "Tell us *how*.",
            "channels": ["linkedin"],
            "deadline": "2099-05-01T09:30:00+02:00",
            "max_claims": 3,
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["topic"] == "Customer stories"
    assert body["status"] == "open"
    assert (body["claim_count"], body["max_claims"], body["claims"]) == (0, 3, [])
    assert body["description_html"] == "<p>Tell us <em>how</em>.</p>"
    assert body["created_by"] == "manager"
    assert Brief.objects.get().deadline == datetime(2099, 5, 1, 7, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))


def test_it_answers_400_with_the_field_for_a_past_deadline_in_the_api(personas, api_client_for):
    response = api_client_for("manager").post(
        "/api/briefs/",
        {"board": personas.board.pk, "topic": "Late", "deadline": "2001-01-01T00:00:00Z"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"deadline": ["The deadline must be in the future."]}


def test_it_lists_briefs_by_board_and_status_in_the_api(personas, brief, api_client_for):
    other = brief_create(board=personas.other_board, actor=personas.admin, topic="Elsewhere", deadline=in_days(2))
    brief_close(brief_id=other.pk, actor=personas.admin)
    api = api_client_for("admin")

    def ids(query: str) -> list[int]:
        response = api.get(f"/api/briefs/{query}")
        assert response.status_code == 200
        return [item["id"] for item in response.json()["results"]]

    assert ids("") == [brief.pk]
    assert ids("?status=all") == [other.pk, brief.pk], "soonest deadline first"
    assert ids(f"?status=all&board={personas.other_board.pk}") == [other.pk]
    assert ids(f"?board={personas.other_board.pk}") == []
    assert api.get("/api/briefs/?status=everything").status_code == 400


def test_it_claims_through_the_api_and_shows_only_visible_drafts(personas, brief, api_client_for):
    brief_claim(brief_id=brief.pk, actor=personas.reviewer)

    response = api_client_for("contributor").post(f"/api/briefs/{brief.pk}/claim/")

    assert response.status_code == 201, response.content
    body = response.json()
    own = BriefClaim.objects.get(contributor=personas.contributor)
    assert (body["claim"], body["draft"]) == (own.pk, own.draft_id)
    claims = {c["contributor_username"]: c["draft"] for c in body["brief"]["claims"]}
    assert claims == {
        "reviewer": None,
        "contributor": {"id": own.draft_id, "title": brief.topic, "state": "draft"},
    }
    assert body["brief"]["status"] == "full"


def test_it_answers_409_with_the_reason_for_a_refused_api_claim(personas, brief, api_client_for):
    api = api_client_for("contributor")
    assert api.post(f"/api/briefs/{brief.pk}/claim/").status_code == 201
    response = api.post(f"/api/briefs/{brief.pk}/claim/")
    assert response.status_code == 409
    assert "You already claimed this brief" in response.json()["detail"]


def test_it_updates_and_closes_a_brief_through_the_api(personas, brief, api_client_for):
    api = api_client_for("manager")
    response = api.patch(
        f"/api/briefs/{brief.pk}/", {"topic": "Renamed", "max_claims": 4, "version": brief.version}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["topic"], response.json()["max_claims"]) == ("Renamed", 4)

    response = api.post(f"/api/briefs/{brief.pk}/close/")
    assert response.status_code == 200
    assert response.json()["status"] == "closed"
    assert api.post(f"/api/briefs/{brief.pk}/close/").status_code == 409


def test_it_documents_the_briefs_api_in_the_schema(personas, api_client_for):
    schema = api_client_for("contributor").get("/api/schema/?format=json").json()
    assert {"/api/briefs/", "/api/briefs/{id}/", "/api/briefs/{id}/claim/", "/api/briefs/{id}/close/"} <= set(
        schema["paths"]
    )


# --- Admin ---------------------------------------------------------------------------------------------


def test_it_manages_briefs_and_shows_claims_in_the_admin(personas, brief):
    brief_claim(brief_id=brief.pk, actor=personas.contributor)
    client = logged_in(personas.admin)

    assert client.get("/admin/briefs/brief/").status_code == 200
    assert client.get(f"/admin/briefs/brief/{brief.pk}/change/").status_code == 200
    assert brief.topic in html(client.get("/admin/briefs/briefclaim/"))


def test_it_posts_a_brief_from_the_admin_through_the_service_checks(personas):
    client = logged_in(personas.admin)
    form = {
        "board": personas.board.pk,
        "topic": "From the admin",
        "description": "",
        "channels": '["linkedin"]',
        "deadline_0": "2001-01-01",
        "deadline_1": "10:00:00",
        "max_claims": "2",
        "claims-TOTAL_FORMS": "0",
        "claims-INITIAL_FORMS": "0",
    }

    refused = client.post("/admin/briefs/brief/add/", form)
    assert refused.status_code == 200
    assert "The deadline must be in the future." in html(refused)
    assert not Brief.objects.exists()

    accepted = client.post("/admin/briefs/brief/add/", {**form, "deadline_0": "2099-01-01"})
    assert accepted.status_code == 302
    brief = Brief.objects.get()
    assert (brief.topic, brief.channels, brief.created_by) == ("From the admin", ["linkedin"], personas.admin)


# --- Demo data -----------------------------------------------------------------------------------------


def test_it_loads_the_demo_brief_with_claims_and_can_run_again(db):
    from contributors.services import board_create, board_role_grant

    launch = board_create(name="Launch", slug="launch", description="", time_zone="Europe/Copenhagen")
    users = {name: UserFactory(username=name) for name in ["manager", "reviewer", "alice"]}
    for name, role in [("manager", "manager"), ("reviewer", "reviewer"), ("alice", "contributor")]:
        board_role_grant(board=launch, user=users[name], role=role)

    demo.load_demo(boards={"launch": launch}, users=users)
    demo.load_demo(boards={"launch": launch}, users=users)

    brief = Brief.objects.get()
    assert brief.topic == demo.EBOOK_TOPIC
    claimants = set(brief.claims.values_list("contributor__username", flat=True))
    assert claimants == {"alice", "reviewer"}
    assert Draft.objects.filter(brief_claim__brief=brief).count() == 2
