"""The server-rendered pages, through the Django test client: what a person sees and what their POSTs do."""

import re
import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from contributors.models import RoleChange, User
from contributors.permissions import board_role
from drafts.models import Draft, DraftComment
from drafts.services import comment_create, draft_transition, draft_update
from tests.factories import PASSWORD, UserFactory, advance, make_draft

TRANSITION_ACTION = re.compile(r'action="/drafts/(\d+)/transitions/([a-z_]+)/"')


@pytest.fixture
def as_user(personas):
    """as_user("reviewer") -> a test client logged in as that persona (a fresh client each time)."""

    def _client(name: str) -> Client:
        client = Client()
        client.force_login(getattr(personas, name))
        return client

    return _client


def html(response) -> str:
    return response.content.decode()


def section(page: str, start: str, end: str) -> str:
    """The part of the page between two markers (e.g. the rendered Markdown body)."""
    begin = page.index(start)
    return page[begin : page.index(end, begin)]


def buttons(response, draft) -> set[str]:
    return {name for draft_id, name in TRANSITION_ACTION.findall(html(response)) if int(draft_id) == draft.pk}


def role_of(user, board) -> str | None:
    """The role as stored now (a fresh user object: permission checks are cached per user object)."""
    return board_role(User.objects.get(pk=user.pk), board)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- Login and boards -----------------------------------------------------------------------------------


def test_it_logs_in_with_a_real_password_and_the_csrf_token(personas):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/login/")
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html(page)).group(1)

    wrong = client.post("/login/", {"username": "reviewer", "password": "nope", "csrfmiddlewaretoken": token})
    assert wrong.status_code == 200
    assert "correct username and password" in html(wrong)
    assert "_auth_user_id" not in client.session

    response = client.post("/login/", {"username": "reviewer", "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == personas.reviewer.pk
    assert "Launch" in html(client.get("/"))


def test_it_sends_anonymous_visitors_to_the_login_page(personas, draft):
    for url in ("/", "/boards/launch/", f"/drafts/{draft.pk}/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/login/?next={url}"


def test_it_lists_only_the_users_boards_with_their_role(personas, as_user):
    page = html(as_user("contributor").get("/boards/"))
    assert 'href="/boards/launch/"' in page
    assert "contributor" in page
    assert "Elsewhere" not in page
    assert 'href="/boards/elsewhere/"' not in page

    outsider = html(as_user("outsider").get("/boards/"))
    assert 'href="/boards/elsewhere/"' in outsider
    assert "Launch" not in outsider

    nobody = Client()
    nobody.force_login(UserFactory(username="nobody"))
    assert "You have not been invited to any board yet." in html(nobody.get("/boards/"))


def test_it_filters_the_board_page_by_state(personas, as_user):
    make_draft(personas.board, personas.contributor, title="Still drafting")
    in_review = make_draft(personas.board, personas.contributor, title="Waiting for review")
    advance(in_review, "review", personas)
    approved = make_draft(personas.board, personas.reviewer, title="Ready to go")
    draft_transition(draft_id=approved.pk, name="submit", actor=personas.reviewer)
    draft_transition(draft_id=approved.pk, name="approve", actor=personas.manager)
    client = as_user("reviewer")

    everything = html(client.get("/boards/launch/"))
    assert all(t in everything for t in ("Still drafting", "Waiting for review", "Ready to go"))

    review = client.get("/boards/launch/", {"state": "review"})
    assert review.status_code == 200
    assert "Waiting for review" in html(review)
    assert "Still drafting" not in html(review)
    assert "Ready to go" not in html(review)
    assert [d.title for d in review.context["page"]] == ["Waiting for review"]

    approved_page = client.get("/boards/launch/", {"state": "approved"})
    assert [d.title for d in approved_page.context["page"]] == ["Ready to go"]
    assert client.get("/boards/launch/", {"state": "published"}).context["page"].object_list.count() == 0

    # An unknown state is ignored rather than an error.
    bogus = client.get("/boards/launch/", {"state": "bogus"})
    assert bogus.status_code == 200
    assert len(bogus.context["page"]) == 3

    # A contributor's board page lists their own drafts only.
    mine = html(as_user("contributor").get("/boards/launch/"))
    assert "Still drafting" in mine
    assert "Ready to go" not in mine


def test_it_hides_other_boards_with_404(personas, as_user):
    assert as_user("outsider").get("/boards/launch/").status_code == 404
    assert as_user("contributor").get("/boards/no-such-board/").status_code == 404


# --- Draft detail ------------------------------------------------------------------------------------------------

EVIL_BODY = """# Heading

Some **bold** text and a [good link](https://example.com/page).

<script>alert(1)</script>

[bad link](javascript:alert(2))

<a href="javascript:alert(3)" onclick="alert(4)">raw link</a>

<img src="x" onerror="alert(5)">

<iframe src="https://evil.example"></iframe>

<div style="background:url(javascript:alert(6))">styled</div>

<a href="JaVaScRiPt:alert(7)">mixed case</a> <a href="data:text/html,<script>alert(8)</script>">data</a>
"""


def test_it_renders_the_markdown_body_sanitized(personas, as_user):
    draft = make_draft(personas.board, personas.contributor, title="<b>Title</b>", body=EVIL_BODY)
    comment_create(draft_id=draft.pk, author=personas.reviewer, body="<script>alert('comment')</script>")
    response = as_user("reviewer").get(f"/drafts/{draft.pk}/")
    assert response.status_code == 200
    page = html(response)
    body = section(page, '<article class="body">', "</article>")

    # Markdown still renders.
    assert "<h1>Heading</h1>" in body
    assert "<strong>bold</strong>" in body
    assert 'href="https://example.com/page"' in body
    assert 'rel="noopener noreferrer nofollow"' in body
    # Nothing executable survives: raw HTML shows as the characters typed (CommonMark without HTML, as every
    # platform's text), and a javascript: link stays words.
    tags = _tags_and_attributes(body)
    assert not {"script", "iframe", "img"} & {tag for tag, _ in tags}
    attributes = [(name, (value or "").lower()) for _, attrs in tags for name, value in attrs]
    assert not [name for name, _ in attributes if name.startswith("on") or name == "style"]
    assert not [
        value for name, value in attributes if name in ("href", "src") and value.startswith(("javascript:", "data:"))
    ]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    # Titles and comments are escaped, not interpreted.
    assert "<b>Title</b>" not in page
    assert "&lt;b&gt;Title&lt;/b&gt;" in page
    # Comments render Markdown through the same sanitizer as the body: the script is dropped.
    assert "<script>alert(" not in page


def _tags_and_attributes(markup: str) -> list[tuple[str, list]]:
    from html.parser import HTMLParser

    found: list[tuple[str, list]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collector().feed(markup)
    return found


@pytest.mark.parametrize(
    ("state", "persona", "author", "expected"),
    [
        ("draft", "contributor", "contributor", {"submit", "archive"}),
        ("draft", "reviewer", "contributor", set()),
        ("draft", "manager", "contributor", {"submit", "archive"}),
        ("review", "contributor", "contributor", {"archive"}),
        ("review", "reviewer", "contributor", {"approve", "request_changes"}),
        ("review", "reviewer", "reviewer", {"request_changes", "archive"}),
        ("review", "manager", "contributor", {"approve", "request_changes", "archive"}),
        ("approved", "reviewer", "contributor", set()),
        ("approved", "manager", "contributor", {"schedule", "archive"}),
        ("approved", "contributor", "contributor", {"archive"}),
        ("scheduled", "manager", "contributor", {"unschedule"}),
        ("scheduled", "contributor", "contributor", set()),
    ],
)
def test_it_shows_exactly_the_transitions_the_user_may_take_now(personas, as_user, state, persona, author, expected):
    draft = make_draft(personas.board, getattr(personas, author), title="Buttons")
    if author == "reviewer" and state != "draft":
        # The reviewer submits their own draft; the contributor's path in PATH_TO_STATE would not be allowed.
        draft_transition(draft_id=draft.pk, name="submit", actor=personas.reviewer)
        assert state == "review"
    else:
        advance(draft, state, personas)
    response = as_user(persona).get(f"/drafts/{draft.pk}/")
    assert response.status_code == 200
    assert buttons(response, draft) == expected
    # The buttons are what the API reports too.
    assert set(response.context["transitions"]) == expected
    # Each button posts the draft's current version, so a stale page gets a 409.
    draft.refresh_from_db()
    if expected:
        assert f'name="version" value="{draft.version}"' in html(response)


def test_it_takes_a_transition_posted_from_the_page_and_redirects(personas, as_user, draft):
    client = as_user("contributor")
    response = client.post(f"/drafts/{draft.pk}/transitions/submit/", {"version": draft.version})
    assert response.status_code == 302
    assert response["Location"] == f"/drafts/{draft.pk}/"
    draft.refresh_from_db()
    assert (draft.state, draft.version) == ("review", 2)
    page = html(client.get(response["Location"]))
    assert "In review" in page

    reviewer = as_user("reviewer")
    response = reviewer.post(
        f"/drafts/{draft.pk}/transitions/request_changes/", {"version": 2, "comment": "Needs a picture."}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == "draft"
    assert draft.events.last().comment == "Needs a picture."
    assert "Needs a picture." in html(reviewer.get(f"/drafts/{draft.pk}/"))


def test_it_schedules_a_datetime_local_value_in_the_boards_time_zone(personas, as_user, draft):
    advance(draft, "approved", personas)
    board_zone = zoneinfo.ZoneInfo(personas.board.time_zone)
    local = (timezone.now() + timedelta(days=30)).astimezone(board_zone).replace(hour=10, minute=0, second=0)
    local = local.replace(microsecond=0)
    response = as_user("manager").post(
        f"/drafts/{draft.pk}/transitions/schedule/",
        {"version": draft.version, "publish_at": local.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302, messages_of(response)
    draft.refresh_from_db()
    assert draft.state == "scheduled"
    assert draft.publish_at == datetime(local.year, local.month, local.day, 10, 0, tzinfo=board_zone)
    assert draft.publish_at.astimezone(board_zone).hour == 10

    # A value with an explicit offset keeps it.
    draft_transition(draft_id=draft.pk, name="unschedule", actor=personas.manager)
    explicit = (timezone.now() + timedelta(days=3)).replace(microsecond=0, second=0)
    draft.refresh_from_db()
    response = as_user("manager").post(
        f"/drafts/{draft.pk}/transitions/schedule/",
        {"version": draft.version, "publish_at": explicit.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo")).isoformat()},
    )
    assert response.status_code == 302, messages_of(response)
    draft.refresh_from_db()
    assert draft.publish_at == explicit


@pytest.mark.parametrize(
    ("state", "persona", "name", "data", "status", "message"),
    [
        ("review", "contributor", "approve", {}, 403, "Nobody approves their own draft"),
        ("draft", "reviewer", "approve", {}, 409, "cannot be approved"),
        ("approved", "manager", "submit", {}, 409, "cannot be submitted"),
        ("draft", "contributor", "submit", {"version": 99}, 409, "changed since you loaded it"),
        ("review", "reviewer", "request_changes", {"comment": "  "}, 400, "a comment is required"),
        ("approved", "manager", "schedule", {}, 400, "A publish time is required"),
        ("approved", "manager", "schedule", {"publish_at": "2001-01-01T10:00"}, 400, "must be in the future"),
        ("approved", "manager", "schedule", {"publish_at": "not a date"}, 400, "Enter a valid date/time."),
        # 02:30 on the morning the clocks go forward does not exist in Copenhagen.
        ("approved", "manager", "schedule", {"publish_at": "2030-03-31T02:30"}, 400, "couldn’t be interpreted"),
        ("scheduled", "manager", "mark_published", {}, 403, "publishing workers only"),
    ],
)
def test_it_re_renders_a_refused_transition_with_its_status_and_a_message(
    personas, as_user, draft, state, persona, name, data, status, message
):
    advance(draft, state, personas)
    version = draft.version
    response = as_user(persona).post(f"/drafts/{draft.pk}/transitions/{name}/", data)
    assert response.status_code == status
    assert response.templates[0].name == "drafts/draft_detail.html"
    assert any(message in m for m in messages_of(response)), messages_of(response)
    assert message.replace("'", "&#x27;") in html(response)
    draft.refresh_from_db()
    assert (draft.state, draft.version) == (state, version)


def test_it_answers_404_for_an_unknown_transition_or_an_invisible_draft(personas, as_user, draft):
    assert as_user("manager").post(f"/drafts/{draft.pk}/transitions/frobnicate/").status_code == 404
    assert as_user("outsider").post(f"/drafts/{draft.pk}/transitions/submit/").status_code == 404
    assert as_user("outsider").get(f"/drafts/{draft.pk}/").status_code == 404
    assert as_user("contributor").get(f"/drafts/{draft.pk}/transitions/submit/").status_code == 405
    draft.refresh_from_db()
    assert draft.state == "draft"


# --- Create and edit ----------------------------------------------------------------------------------------------


def test_it_creates_a_draft_from_the_form(personas, as_user):
    from tests.factories import make_channel

    channel = make_channel(
        personas.board, "x", name="X account", settings={}, credentials={"access_token": "t"}
    )  # the form offers a text per active channel
    client = as_user("contributor")
    page = client.get("/boards/launch/drafts/new/")
    assert page.status_code == 200
    assert 'name="title"' in html(page)
    assert f'name="variant_channel_{channel.pk}"' in html(page)

    response = client.post(
        "/boards/launch/drafts/new/",
        {
            "title": "From the form",
            "body": "Hello *world*",
            "tags": "launch, spring, ",
            f"variant_channel_{channel.pk}": "Short",
        },
    )
    assert response.status_code == 302
    draft = Draft.objects.get()
    assert response["Location"] == f"/drafts/{draft.pk}/"
    assert (draft.title, draft.body, draft.tags, draft.variants) == (
        "From the form",
        "Hello *world*",
        ["launch", "spring"],
        {f"channel:{channel.pk}": "Short"},
    )
    assert draft.author == personas.contributor


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "body": "Typed body"}, "This field is required."),
        ({"title": "x" * 201, "body": "Typed body"}, "at most 200 characters"),
        ({"title": "Bad tags", "body": "Typed body", "tags": "ok, <b>bad</b>"}, "Tags are 1-40 letters"),
    ],
)
def test_it_re_renders_an_invalid_new_draft_with_400_and_the_typed_text(personas, as_user, data, message):
    response = as_user("contributor").post("/boards/launch/drafts/new/", data)
    assert response.status_code == 400
    assert "Typed body" in html(response)
    assert message in html(response)
    assert not Draft.objects.exists()


def test_it_hides_the_new_draft_form_of_other_boards(personas, as_user):
    assert as_user("outsider").get("/boards/launch/drafts/new/").status_code == 404
    assert as_user("outsider").post("/boards/launch/drafts/new/", {"title": "Sneaky"}).status_code == 404
    assert not Draft.objects.exists()


def test_it_edits_a_draft_with_its_version(personas, as_user, draft):
    client = as_user("contributor")
    page = client.get(f"/drafts/{draft.pk}/edit/")
    assert page.status_code == 200
    assert 'value="Spring launch post"' in html(page)
    assert page.context["form"].initial["version"] == 1

    response = client.post(f"/drafts/{draft.pk}/edit/", {"title": "Edited", "body": "New body", "version": 1})
    assert response.status_code == 302
    assert response["Location"] == f"/drafts/{draft.pk}/"
    draft.refresh_from_db()
    assert (draft.title, draft.body, draft.version) == ("Edited", "New body", 2)


def test_it_keeps_the_typed_text_when_an_edit_hits_a_stale_version(personas, as_user, draft):
    draft_update(draft_id=draft.pk, actor=personas.reviewer, version=1, title="Reviewer got there first")
    response = as_user("contributor").post(
        f"/drafts/{draft.pk}/edit/",
        {"title": "My careful title", "body": "Paragraphs I typed for an hour", "tags": "mine", "version": 1},
    )
    assert response.status_code == 409
    page = html(response)
    assert 'value="My careful title"' in page
    assert "Paragraphs I typed for an hour" in page
    assert "The saved draft is now at version 2." in page
    assert any("changed since you opened it" in m for m in messages_of(response))
    draft.refresh_from_db()
    assert (draft.title, draft.version) == ("Reviewer got there first", 2)


def test_it_refuses_to_edit_a_submitted_draft(personas, as_user, draft):
    advance(draft, "review", personas)
    client = as_user("contributor")
    assert client.get(f"/drafts/{draft.pk}/edit/").status_code == 403
    response = client.post(f"/drafts/{draft.pk}/edit/", {"title": "Too late", "version": draft.version})
    assert response.status_code == 403
    assert 'value="Too late"' in html(response)
    draft.refresh_from_db()
    assert draft.title == "Spring launch post"


# --- Comments -------------------------------------------------------------------------------------------------------


def test_it_adds_a_comment_with_a_normal_post(personas, as_user, draft):
    client = as_user("reviewer")
    response = client.post(f"/drafts/{draft.pk}/comments/", {"body": "Nice opening line."})
    assert response.status_code == 302
    comment = DraftComment.objects.get()
    assert response["Location"] == f"/drafts/{draft.pk}/#comment-{comment.pk}"
    assert "Nice opening line." in html(client.get(f"/drafts/{draft.pk}/"))
    assert DraftComment.objects.get().author == personas.reviewer


def test_it_re_renders_a_refused_comment_with_400_and_the_reason(personas, as_user, draft):
    response = as_user("reviewer").post(f"/drafts/{draft.pk}/comments/", {"body": "   "})
    assert response.status_code == 400
    assert response.templates[0].name == "drafts/draft_detail.html"
    assert "This field is required." in html(response)

    too_long = "An essay. " * 1001
    response = as_user("reviewer").post(f"/drafts/{draft.pk}/comments/", {"body": too_long})
    assert response.status_code == 400
    assert "at most 10000 characters" in html(response)
    assert too_long.strip() in html(response)  # what they typed is still there
    assert not DraftComment.objects.exists()


def test_it_answers_an_htmx_comment_with_the_comments_fragment(personas, as_user, draft):
    client = as_user("reviewer")
    comment_create(draft_id=draft.pk, author=personas.contributor, body="First!")
    response = client.post(f"/drafts/{draft.pk}/comments/", {"body": "Second, via htmx."}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    fragment = html(response).strip()
    assert fragment.startswith('<div id="comments">')
    assert "<html" not in fragment
    assert "<h1" not in fragment
    assert fragment.index("First!") < fragment.index("Second, via htmx.")
    assert 'hx-post="/drafts/' in fragment
    assert "Second, via htmx.</textarea>" not in fragment  # the form is emptied for the next comment

    empty = client.post(f"/drafts/{draft.pk}/comments/", {"body": ""}, HTTP_HX_REQUEST="true")
    assert empty.status_code == 400
    assert html(empty).strip().startswith('<div id="comments">')
    assert "This field is required." in html(empty)
    assert DraftComment.objects.count() == 2


# --- Revisions and diff ---------------------------------------------------------------------------------------------


def test_it_shows_revisions_and_the_diff_between_them(personas, as_user, draft):
    draft_update(
        draft_id=draft.pk, actor=personas.contributor, version=1, title="Summer launch post", body="A <new> body"
    )
    client = as_user("contributor")

    revisions = client.get(f"/drafts/{draft.pk}/revisions/")
    assert revisions.status_code == 200
    assert [r.number for r in revisions.context["revisions"]] == [2, 1]
    assert "Summer launch post" in html(revisions)
    assert "Spring launch post" in html(revisions)

    detail = html(client.get(f"/drafts/{draft.pk}/"))
    assert "2 revisions" in detail
    assert f'href="/drafts/{draft.pk}/diff/"' in detail

    diff = client.get(f"/drafts/{draft.pk}/diff/")
    assert diff.status_code == 200
    page = html(diff)
    assert "Revision 1 &rarr; 2" in page
    # Word by word: only the changed word of the title is marked.
    assert '<del class="diff-del">Spring</del><ins class="diff-ins">Summer</ins> launch post' in page

    same = html(client.get(f"/drafts/{draft.pk}/diff/", {"from": 2, "to": 2}))
    assert "No differences." in same


@pytest.mark.parametrize(("query", "status"), [({"from": "abc"}, 400), ({"to": "1.5"}, 400), ({"to": "9"}, 404)])
def test_it_refuses_bad_revision_numbers_on_the_diff_page(personas, as_user, draft, query, status):
    response = as_user("contributor").get(f"/drafts/{draft.pk}/diff/", query)
    assert response.status_code == status


# --- Members --------------------------------------------------------------------------------------------------------


def test_it_lets_a_manager_grant_and_revoke_a_role(personas, as_user):
    newbie = UserFactory(username="newbie")
    client = as_user("manager")
    page = client.get("/boards/launch/members/")
    assert page.status_code == 200
    assert [(u.username, r) for u, r in page.context["members"]] == [
        ("manager", "manager"),
        ("reviewer", "reviewer"),
        ("contributor", "contributor"),
    ]

    granted = client.post("/boards/launch/members/", {"username": "newbie", "role": "reviewer"})
    assert granted.status_code == 302
    assert granted["Location"] == "/boards/launch/members/"
    assert role_of(newbie, personas.board) == "reviewer"
    after_grant = html(client.get("/boards/launch/members/"))
    assert '<tr data-member="newbie">' in after_grant
    assert (
        '<strong><span class="person">@newbie</span></strong> <span class="role-change">No role → Reviewer</span>'
        ' by <span class="person">@manager</span>' in after_grant
    )

    revoked = client.post("/boards/launch/members/", {"username": "newbie", "role": ""})
    assert revoked.status_code == 302
    assert role_of(newbie, personas.board) is None
    assert '<tr data-member="newbie">' not in html(client.get("/boards/launch/members/"))
    assert list(RoleChange.objects.filter(user=newbie).order_by("pk").values_list("previous_role", "new_role")) == [
        ("", "reviewer"),
        ("reviewer", ""),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "ghost", "role": "reviewer"}, "No active user has that username."),
        ({"username": "contributor", "role": "owner"}, "Select a valid choice."),
        ({"username": "", "role": "reviewer"}, "This field is required."),
    ],
)
def test_it_re_renders_a_bad_member_change_with_400(personas, as_user, data, message):
    before = RoleChange.objects.count()
    response = as_user("manager").post("/boards/launch/members/", data)
    assert response.status_code == 400
    assert message in html(response)
    assert RoleChange.objects.count() == before


def test_it_keeps_the_members_page_to_managers(personas, as_user):
    assert as_user("reviewer").get("/boards/launch/members/").status_code == 403
    response = as_user("reviewer").post("/boards/launch/members/", {"username": "reviewer", "role": "manager"})
    assert response.status_code == 403
    assert role_of(personas.reviewer, personas.board) == "reviewer"
    assert as_user("outsider").get("/boards/launch/members/").status_code == 404


# --- Bad input on pages -----------------------------------------------------------------------------------------------


def test_it_answers_413_for_a_form_body_over_the_upload_limit(personas, as_user, draft):
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024):
        response = as_user("reviewer").post(
            f"/drafts/{draft.pk}/comments/",
            f"body={'x' * 4000}",
            content_type="application/x-www-form-urlencoded",
        )
    assert response.status_code == 413
    assert not DraftComment.objects.exists()


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/drafts/abc/", 404),
        ("/drafts/99999999999999999999999/", 404),
        ("/drafts/99999999999999999999999/revisions/", 404),
        ("/drafts/{id}/diff/?from=99999999999999999999999", 404),
        ("/boards/launch/?page=99999999999999999999999", 200),
        ("/boards/launch/?page=abc&state=<script>", 200),
    ],
)
def test_it_never_answers_500_for_odd_urls(personas, as_user, draft, url, status):
    response = as_user("reviewer").get(url.format(id=draft.pk))
    assert response.status_code == status
