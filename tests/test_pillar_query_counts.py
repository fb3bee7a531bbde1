"""The pillars' lists and the mix run a fixed number of queries, however many pillars, drafts and posts."""

from datetime import UTC, datetime, timedelta

import pytest

from drafts.models import Draft
from drafts.planning.models import Pillar
from drafts.planning.pillar_services import pillar_create
from publishing.models import Publication
from tests.factories import make_channel
from tests.test_query_counts import assert_same_count, logged_in, measure

MONDAY = datetime(2026, 12, 7, 9, tzinfo=UTC)


class Planner:
    """Adds pillars, drafts in them and posts (scheduled, with a publication each) in bulk."""

    def __init__(self, personas):
        self.personas = personas
        self.channel = make_channel(
            personas.board,
            "webhook",
            name="Hook",
            settings={"url": "http://127.0.0.1:9/h"},
            credentials={"secret": "s" * 32},
        )
        self.made = 0

    def add(self, pillars: int, drafts: int) -> None:
        board = self.personas.board
        for _ in range(pillars):
            pillar_create(board=board, actor=None, name=f"Pillar {Pillar.objects.filter(board=board).count()}")
        every = list(Pillar.objects.filter(board=board))
        made = Draft.objects.bulk_create(
            [
                Draft(
                    board=board,
                    author=self.personas.contributor,
                    title=f"Post {self.made + i}",
                    state="scheduled" if i % 2 else "draft",
                    publish_at=MONDAY + timedelta(hours=5 * i),
                )
                for i in range(drafts)
            ]
        )
        through = Pillar.drafts.through
        through.objects.bulk_create(
            [
                through(draft_id=d.pk, pillar_id=every[(i + k) % len(every)].pk)
                for i, d in enumerate(made)
                for k in (0, 1)
            ],
            ignore_conflicts=True,
        )
        Publication.objects.bulk_create(
            [Publication(draft=d, channel=self.channel, due_at=d.publish_at) for d in made if d.state == "scheduled"]
        )
        self.made += drafts


@pytest.fixture
def planner(personas):
    planner = Planner(personas)
    planner.add(pillars=2, drafts=4)
    return planner


@pytest.mark.parametrize("persona", ["contributor", "manager"])
def test_the_pillars_page_takes_the_same_queries_with_more_pillars_and_drafts(personas, planner, persona):
    client = logged_in(getattr(personas, persona))
    small = measure(client, "/boards/launch/pillars/")
    planner.add(pillars=6, drafts=80)
    large = measure(client, "/boards/launch/pillars/")
    assert_same_count(small, large)
    assert len(large[2].context["pillars"]) == 8


@pytest.mark.parametrize("url", ["/boards/launch/", "/boards/launch/?state=scheduled"])
def test_the_board_page_with_pillar_chips_takes_the_same_queries(personas, planner, url):
    client = logged_in(personas.reviewer)
    small = measure(client, url)
    planner.add(pillars=4, drafts=80)
    large = measure(client, url)
    assert_same_count(small, large)
    assert all(len(d.pillar_list) == 2 for d in large[2].context["page"])


def test_the_board_page_filtered_by_a_pillar_takes_the_same_queries(personas, planner):
    client = logged_in(personas.reviewer)
    pillar = Pillar.objects.filter(board=personas.board).first()
    small = measure(client, f"/boards/launch/?pillar={pillar.pk}")
    planner.add(pillars=0, drafts=80)
    large = measure(client, f"/boards/launch/?pillar={pillar.pk}")
    assert_same_count(small, large)


def test_the_api_draft_list_with_pillars_takes_the_same_queries(personas, planner):
    client = logged_in(personas.reviewer)
    url = f"/api/drafts/?board={personas.board.pk}&page_size=200"
    small = measure(client, url)
    planner.add(pillars=4, drafts=80)
    large = measure(client, url)
    assert_same_count(small, large)
    assert all(len(d["pillars"]) == 2 for d in large[2].json()["results"])


def test_the_api_pillar_list_takes_the_same_queries(personas, planner):
    client = logged_in(personas.contributor)
    url = f"/api/boards/{personas.board.pk}/pillars/"
    small = measure(client, url)
    planner.add(pillars=10, drafts=40)
    large = measure(client, url)
    assert_same_count(small, large)
    assert len(large[2].json()) == 12


@pytest.mark.parametrize(
    "path", ["/api/boards/{pk}/mix/?from={start}&to={end}", "/boards/launch/calendar/mix/?from={start}&to={end}"]
)
def test_the_mix_takes_the_same_queries_for_a_week_and_for_two_months_of_posts(personas, planner, path):
    client = logged_in(personas.reviewer)
    small = measure(client, path.format(pk=personas.board.pk, start="2026-12-07", end="2026-12-13"))
    planner.add(pillars=4, drafts=200)
    large = measure(client, path.format(pk=personas.board.pk, start="2026-12-01", end="2027-01-31"))
    assert_same_count(small, large)
