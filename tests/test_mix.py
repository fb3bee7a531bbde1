"""The content mix: posts per day (in the board's time zone) and ISO week, per pillar and channel, against
the targets, with plain-language warnings; always the same few queries."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contributors.models import Board
from drafts.models import Draft
from drafts.planning.mix import board_mix, boards_mix
from drafts.planning.pillar_services import pillar_create
from publishing.models import Publication, PublicationState
from tests.factories import make_channel


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def post(board, author, when, *pillars, state="scheduled", channels=(), title="Post"):
    draft = Draft.objects.create(board=board, author=author, title=title, state=state, publish_at=when)
    draft.pillars.add(*pillars)
    for channel in channels:
        Publication.objects.create(draft=draft, channel=channel, due_at=when)
    return draft


@pytest.fixture
def launch(personas):
    Board.objects.filter(pk=personas.board.pk).update(time_zone="Europe/Copenhagen")
    personas.board.refresh_from_db()
    make = lambda name, target: pillar_create(board=personas.board, actor=None, name=name, target_percent=target)  # noqa: E731
    return personas.board, make("Product", 30), make("Community", 40), make("Education", 30)


def day(mix, when: date):
    return next(d for d in mix.days if d.start == when)


def counts(period) -> dict:
    return {c.name: c.posts for c in period.pillars}


def test_days_are_cut_in_the_boards_zone_across_the_end_of_summer_time_in_copenhagen(personas, launch):
    board, product, community, education = launch
    author = personas.contributor
    post(board, author, utc(2026, 10, 24, 21, 30), product)  # 23:30 CEST, Saturday 24
    post(board, author, utc(2026, 10, 24, 22, 30), community)  # 00:30 CEST, Sunday 25
    post(board, author, utc(2026, 10, 25, 22, 30), education)  # 23:30 CET, still Sunday 25
    post(board, author, utc(2026, 10, 25, 23, 30), product)  # 00:30 CET, Monday 26: outside the range
    mix = board_mix(board, date(2026, 10, 19), date(2026, 10, 25))
    assert day(mix, date(2026, 10, 24)).total == 1
    assert counts(day(mix, date(2026, 10, 25))) == {"Product": 0, "Community": 1, "Education": 1}
    assert mix.total == 3
    [week] = mix.weeks
    assert (week.iso_week, week.start, week.end, week.total) == ("2026-W43", date(2026, 10, 19), date(2026, 10, 25), 3)
    # Sunday 25's two posts cannot hold all three pillars, and they are of two: nothing to warn about.
    assert day(mix, date(2026, 10, 25)).warnings == []


def test_days_are_cut_in_new_york_across_the_end_of_daylight_saving_time(personas):
    board = personas.other_board
    Board.objects.filter(pk=board.pk).update(time_zone="America/New_York")
    board.refresh_from_db()
    stories = pillar_create(board=board, actor=None, name="Stories", target_percent=50)
    author = personas.outsider
    post(board, author, utc(2026, 11, 1, 3, 30), stories)  # 23:30 EDT, Saturday 31 October
    post(board, author, utc(2026, 11, 1, 4, 30), stories)  # 00:30 EDT, Sunday 1 November
    post(board, author, utc(2026, 11, 2, 4, 30), stories)  # 23:30 EST, still Sunday 1 November
    mix = board_mix(board, date(2026, 10, 31), date(2026, 11, 1))
    assert [(d.start, d.total) for d in mix.days] == [(date(2026, 10, 31), 1), (date(2026, 11, 1), 2)]
    assert [w.iso_week for w in mix.weeks] == ["2026-W44"]
    assert mix.weeks[0].days_counted == 2


def test_a_week_far_off_its_targets_says_so_in_plain_words(personas, launch):
    board, product, community, education = launch
    author = personas.contributor
    for hour in (8, 10, 12):
        post(board, author, utc(2026, 12, 7, hour), product)  # Monday 7 December
    post(board, author, utc(2026, 12, 8, 9), community)
    post(board, author, utc(2026, 12, 9, 9), education)
    mix = board_mix(board, date(2026, 12, 7), date(2026, 12, 13))
    [week] = mix.weeks
    shares = {c.name: (c.posts, c.share_percent, c.target_percent) for c in week.pillars}
    assert shares == {"Product": (3, 60, 30), "Community": (1, 20, 40), "Education": (1, 20, 30)}
    messages = [w.message for w in week.warnings]
    assert messages == [
        "Product is 60% of the posts of the week of 7–13 December; the target is 30%.",
        "Community is 20% of the posts of the week of 7–13 December; the target is 40%.",
    ]
    # Monday: three posts, none for Community or Education.
    assert [w.message for w in day(mix, date(2026, 12, 7)).warnings] == [
        "No Community post on Monday 7 December.",
        "No Education post on Monday 7 December.",
    ]
    assert [w.kind for w in mix.warnings][:2] == ["week_share", "week_share"]


def test_a_quiet_week_or_day_raises_no_share_warning(personas, launch):
    board, product, *_ = launch
    post(personas.board, personas.contributor, utc(2026, 12, 7, 9), product)
    post(personas.board, personas.contributor, utc(2026, 12, 8, 9), product)
    mix = board_mix(board, date(2026, 12, 7), date(2026, 12, 13))
    assert mix.warnings == []


def test_posts_without_a_pillar_count_as_no_pillar(personas, launch):
    board, product, community, education = launch
    for hour in (8, 10, 12):
        post(board, personas.contributor, utc(2026, 12, 8, hour))
    post(board, personas.contributor, utc(2026, 12, 9, 9), product, community, education)
    mix = board_mix(board, date(2026, 12, 7), date(2026, 12, 13))
    [week] = mix.weeks
    assert counts(week) == {"Product": 1, "Community": 1, "Education": 1, "No pillar": 3}
    assert "3 posts in the week of 7–13 December have no pillar." in [w.message for w in week.warnings]


def test_only_scheduled_and_published_posts_count_and_channels_come_from_publications(personas, launch):
    board, product, *_ = launch
    hook = make_channel(
        board, "webhook", name="Hook", settings={"url": "http://127.0.0.1:9/h"}, credentials={"secret": "s" * 32}
    )
    other = make_channel(
        board, "webhook", name="Other", settings={"url": "http://127.0.0.1:9/o"}, credentials={"secret": "s" * 32}
    )
    when = utc(2026, 12, 8, 9)
    post(board, personas.contributor, when, product, channels=[hook, other])
    post(board, personas.contributor, when, product, state="published", channels=[hook])
    post(board, personas.contributor, when, product, state="approved")
    post(board, personas.contributor, when, product, state="failed")
    cancelled = post(board, personas.contributor, when, state="scheduled", channels=[other])
    Publication.objects.filter(draft=cancelled).update(state=PublicationState.CANCELLED)
    tuesday = day(board_mix(board, date(2026, 12, 7), date(2026, 12, 13)), date(2026, 12, 8))
    assert tuesday.total == 3
    assert [(c.name, c.posts) for c in tuesday.channels] == [("Hook", 2), ("Other", 1)]


def test_the_mix_takes_the_same_few_queries_whatever_the_range_and_the_posts(personas, launch):
    board, product, community, _ = launch
    hook = make_channel(
        board, "webhook", name="Hook", settings={"url": "http://127.0.0.1:9/h"}, credentials={"secret": "s" * 32}
    )
    post(board, personas.contributor, utc(2026, 12, 8, 9), product, channels=[hook])
    with CaptureQueriesContext(connection) as small:
        board_mix(board, date(2026, 12, 7), date(2026, 12, 13))
    for d in range(1, 28):
        post(board, personas.contributor, utc(2026, 12, d, 9), product, community, channels=[hook])
    with CaptureQueriesContext(connection) as large:
        boards_mix([board, personas.other_board], date(2026, 11, 30), date(2026, 12, 31))
    assert len(small.captured_queries) == len(large.captured_queries) == 3


def test_it_refuses_a_backwards_or_too_long_range(personas, launch):
    board = launch[0]
    with pytest.raises(ValidationError):
        board_mix(board, date(2026, 12, 7), date(2026, 12, 6))
    with pytest.raises(ValidationError):
        board_mix(board, date(2026, 1, 1), date(2026, 3, 31))


def test_a_day_whose_posts_are_all_one_pillar_says_so(personas, launch):
    board, product, community, education = launch
    for hour in (9, 12):
        post(board, personas.contributor, utc(2026, 12, 8, hour), product)  # Tuesday 8 December
    post(board, personas.contributor, utc(2026, 12, 9, 9), product)  # Wednesday: one post, nothing to say
    mix = board_mix(board, date(2026, 12, 7), date(2026, 12, 13))
    assert [(w.kind, w.message) for w in day(mix, date(2026, 12, 8)).warnings] == [
        ("day_one_pillar", "All 2 posts on Tuesday 8 December are Product.")
    ]
    assert day(mix, date(2026, 12, 9)).warnings == []
