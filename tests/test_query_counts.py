"""List pages and list endpoints run a fixed number of SQL queries, however many rows they show.

Each case measures a page at a small size, grows the data, and measures again: the counts must match.
Requests log in through the session, so every request loads its user afresh, as in production.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from contributors.models import Board
from contributors.services import board_role_grant
from drafts.models import Draft, DraftComment, DraftEvent, DraftImage
from drafts.services import comment_create, draft_transition, draft_update
from tests.factories import BoardFactory, make_draft, member

STATES = ["draft", "review", "approved", "scheduled", "archived"]


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def measure(client: Client, url: str) -> tuple[int, list[str], object]:
    # Content types and guardian's permission lookups are cached per process: warm them first, as a
    # running server has, so the two measurements differ only by the data.
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries], response


def assert_same_count(small: tuple, large: tuple) -> None:
    small_count, small_sql, _ = small
    large_count, large_sql, _ = large
    extra = "\n".join(large_sql[small_count:]) if large_count > small_count else ""
    assert large_count == small_count, f"{small_count} queries grew to {large_count}; first extra:\n{extra[:2000]}"


class DraftMaker:
    """Adds drafts in bulk: several authors, states, tags and co-authors, so every relation the list shows
    is exercised (a missing select_related or prefetch shows up as one query per row)."""

    def __init__(self, personas):
        self.personas = personas
        self.authors = [personas.contributor, personas.reviewer, member(personas.board, "contributor")]
        self.made = 0

    def add(self, count: int) -> None:
        drafts = Draft.objects.bulk_create(
            [
                Draft(
                    board=self.personas.board,
                    author=self.authors[(self.made + i) % len(self.authors)],
                    title=f"Draft {self.made + i}",
                    body="Body",
                    tags=["launch", f"t{i % 4}"],
                    variants={"kind:x": "Short"},
                    state=STATES[(self.made + i) % len(STATES)],
                )
                for i in range(count)
            ]
        )
        through = Draft.coauthors.through
        coauthors = [
            through(draft_id=d.pk, user_id=(self.personas.contributor if i % 2 else self.personas.manager).pk)
            for i, d in enumerate(drafts)
            if d.author_id != self.personas.contributor.pk
        ]
        through.objects.bulk_create(coauthors)
        # Drafts on another board the users cannot see must not change anything either.
        Draft.objects.bulk_create(
            [Draft(board=self.personas.other_board, author=self.personas.outsider, title="Hidden") for _ in range(3)]
        )
        self.made += count


@pytest.fixture
def drafts(personas):
    maker = DraftMaker(personas)
    maker.add(5)
    return maker


@pytest.mark.parametrize("persona", ["reviewer", "contributor", "manager", "admin"])
def test_it_renders_the_board_page_with_a_fixed_number_of_queries(personas, drafts, persona):
    client = logged_in(getattr(personas, persona))
    small = measure(client, "/boards/launch/")
    drafts.add(95)
    large = measure(client, "/boards/launch/")
    assert_same_count(small, large)
    page = large[2].context["page"]
    assert len(page.object_list) == 50  # a full page: 100 drafts for the reviewer, fewer but > 50 for a contributor
    assert page.paginator.count > 50


@pytest.mark.parametrize("persona", ["reviewer", "contributor"])
def test_it_renders_a_filtered_board_page_with_a_fixed_number_of_queries(personas, drafts, persona):
    client = logged_in(getattr(personas, persona))
    small = measure(client, "/boards/launch/?state=review")
    drafts.add(95)
    large = measure(client, "/boards/launch/?state=review")
    assert_same_count(small, large)
    assert {d.state for d in large[2].context["page"]} == {"review"}


@pytest.mark.parametrize("persona", ["reviewer", "contributor", "manager", "admin"])
def test_it_lists_drafts_in_the_api_with_a_fixed_number_of_queries(personas, drafts, persona):
    client = logged_in(getattr(personas, persona))
    url = f"/api/drafts/?board={personas.board.pk}&page_size=200"
    small = measure(client, url)
    drafts.add(95)
    large = measure(client, url)
    assert_same_count(small, large)
    body = large[2].json()
    assert len(body["results"]) == body["count"] > 50
    assert all(d["board"] == personas.board.pk for d in body["results"])


def test_it_lists_api_drafts_without_a_board_filter_with_a_fixed_number_of_queries(personas, drafts):
    client = logged_in(personas.reviewer)
    small = measure(client, "/api/drafts/?page_size=200")
    drafts.add(95)
    large = measure(client, "/api/drafts/?page_size=200")
    assert_same_count(small, large)
    assert large[2].json()["count"] == 100


def add_images(drafts: list[Draft], per_draft: int = 2) -> None:
    """Image rows (the list serializes their fields and URLs; no file is read)."""
    DraftImage.objects.bulk_create(
        [
            DraftImage(
                draft=draft,
                file=f"drafts/{draft.pk}/{position}.png",
                alt_text=f"Picture {position}",
                position=position,
                content_type="image/png",
                size=100,
                width=10,
                height=10,
                sha256="0" * 64,
            )
            for draft in drafts
            for position in range(per_draft)
        ]
    )


def test_it_lists_api_drafts_with_their_images_with_a_fixed_number_of_queries(personas, drafts):
    client = logged_in(personas.reviewer)
    url = "/api/drafts/?page_size=200"
    add_images(list(Draft.objects.filter(board=personas.board)))
    small = measure(client, url)
    drafts.add(95)
    add_images(list(Draft.objects.filter(board=personas.board, images=None)), per_draft=3)
    large = measure(client, url)
    assert_same_count(small, large)
    results = large[2].json()["results"]
    assert len(results) == 100
    assert sum(len(d["images"]) for d in results) == 5 * 2 + 95 * 3


def test_it_renders_a_draft_page_with_images_with_a_fixed_number_of_queries(personas):
    draft = make_draft(personas.board, personas.contributor, title="Pictures")
    client = logged_in(personas.reviewer)
    add_images([draft], per_draft=1)
    small = measure(client, f"/drafts/{draft.pk}/")
    DraftImage.objects.filter(draft=draft).delete()
    add_images([draft], per_draft=4)
    large = measure(client, f"/drafts/{draft.pk}/")
    assert_same_count(small, large)
    assert large[2].content.decode().count(f'src="/drafts/{draft.pk}/images/') == 4


def test_it_lists_a_drafts_images_in_the_api_with_a_fixed_number_of_queries(personas):
    draft = make_draft(personas.board, personas.contributor, title="Pictures")
    client = logged_in(personas.reviewer)
    url = f"/api/drafts/{draft.pk}/images/"
    add_images([draft], per_draft=1)
    small = measure(client, url)
    DraftImage.objects.filter(draft=draft).delete()
    add_images([draft], per_draft=4)
    large = measure(client, url)
    assert_same_count(small, large)
    assert [image["alt_text"] for image in large[2].json()] == [f"Picture {n}" for n in range(4)]


def add_boards(user, role: str, count: int) -> None:
    for _ in range(count):
        board = BoardFactory()
        board_role_grant(board=board, user=user, role=role)
        BoardFactory()  # a board the user has no role on


@pytest.mark.parametrize("persona", ["contributor", "manager", "admin"])
def test_it_lists_boards_in_the_api_with_a_fixed_number_of_queries(personas, persona):
    user = getattr(personas, persona)
    client = logged_in(user)
    add_boards(user, "reviewer", 3)
    small = measure(client, "/api/boards/?page_size=200")
    add_boards(user, "contributor", 40)
    large = measure(client, "/api/boards/?page_size=200")
    assert_same_count(small, large)
    results = large[2].json()["results"]
    if persona == "admin":
        assert len(results) == Board.objects.count()
        assert {b["role"] for b in results} == {"admin"}
    else:
        assert len(results) == 44
        assert {b["role"] for b in results} >= {"reviewer", "contributor"}


def test_it_renders_the_board_list_page_with_a_fixed_number_of_queries(personas):
    client = logged_in(personas.contributor)
    add_boards(personas.contributor, "reviewer", 3)
    small = measure(client, "/boards/")
    add_boards(personas.contributor, "manager", 40)
    large = measure(client, "/boards/")
    assert_same_count(small, large)
    assert len(large[2].context["rows"]) == 44


def test_it_renders_a_draft_page_with_a_fixed_number_of_queries(personas):
    """Comments, events and revisions are listed on the draft page: their number must not matter."""
    draft = make_draft(personas.board, personas.contributor, title="Busy draft")
    client = logged_in(personas.reviewer)

    def add_history(rounds: int) -> None:
        for _ in range(rounds):
            draft.refresh_from_db()
            draft_update(draft_id=draft.pk, actor=personas.contributor, version=draft.version, body=f"v{draft.version}")
            comment_create(draft_id=draft.pk, author=personas.reviewer, body="Comment")
            comment_create(draft_id=draft.pk, author=personas.manager, body="Another")
            draft_transition(draft_id=draft.pk, name="submit", actor=personas.contributor)
            draft_transition(draft_id=draft.pk, name="request_changes", actor=personas.reviewer, comment="Again")

    add_history(1)
    small = measure(client, f"/drafts/{draft.pk}/")
    add_history(20)
    large = measure(client, f"/drafts/{draft.pk}/")
    assert_same_count(small, large)
    assert DraftComment.objects.filter(draft=draft).count() == 42
    assert DraftEvent.objects.filter(draft=draft).count() == 43


def test_it_keeps_the_board_page_query_count_small(personas, drafts):
    """A ceiling as well as constancy: the page should not need many queries to begin with."""
    count, sql, _ = measure(logged_in(personas.reviewer), "/boards/launch/")
    # 13 since the rows show their content pillars: one query for the whole page (drafts.planning).
    assert count <= 13, "\n".join(sql)


def test_it_would_notice_a_query_per_row(personas, drafts):
    """Guard against a measurement that cannot fail: a template touching an unloaded relation per row."""
    client = logged_in(personas.reviewer)
    url = "/boards/launch/"

    def titles_with_revision_counts():
        response = client.get(url)
        # Simulate what an N+1 in the page would do: one query per listed draft.
        return [d.revisions.count() for d in response.context["page"]]

    with CaptureQueriesContext(connection) as small:
        titles_with_revision_counts()
    drafts.add(95)
    with CaptureQueriesContext(connection) as large:
        titles_with_revision_counts()
    assert len(large.captured_queries) > len(small.captured_queries)
