"""The demo's content pillars: both boards have pillars with targets, the demo drafts' tags became pillars,
and the calendar demo's month is on the mix except one Launch day (three Product posts five days from now)."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from contributors.models import Board
from contributors.templatetags.zoned import zone_of
from drafts.models import Draft
from drafts.planning.mix import board_mix
from drafts.planning.models import Pillar


def seed() -> None:
    call_command("seed_demo", stdout=StringIO())


def pillars_of(slug: str) -> list[tuple[str, int]]:
    return list(Pillar.objects.filter(board__slug=slug).values_list("name", "target_percent"))


def test_both_boards_have_pillars_with_targets_and_the_tagged_drafts_joined_them(db):
    seed()
    assert pillars_of("launch") == [("Product", 30), ("Community", 40), ("Education", 30)]
    assert pillars_of("community") == [("Stories", 50), ("Tips", 30), ("Events", 20)]
    five_ways = Draft.objects.get(title="Five ways our new planner saves your Monday")
    assert {p.name for p in five_ways.pillars.all()} == {"Product", "Education"}
    assert five_ways.tags == []  # still being written: its tags became its pillars
    story = Draft.objects.get(title="How I organise my family with the planner")
    assert [p.name for p in story.pillars.all()] == ["Stories"]
    assert story.tags == ["customer-story"]  # submitted: its approved tags stay
    assert [p.name for p in Draft.objects.get(title="My top 3 planner tips").pillars.all()] == ["Tips"]
    assert Draft.objects.get(title="Old idea: a launch poem").tags == ["fun"]  # no pillar of that name


def test_one_launch_day_is_off_the_mix(db):
    seed()
    launch = Board.objects.get(slug="launch")
    today = timezone.now().astimezone(zone_of(launch)).date()
    monday = today - timedelta(days=today.weekday())
    # The weeks around today, whole (as the calendar's month view asks for them).
    mix = board_mix(launch, monday - timedelta(days=7), monday + timedelta(days=20))
    assert mix.total >= 25
    off_days = {w.day for w in mix.warnings}
    assert off_days == {today + timedelta(days=5)}, [w.message for w in mix.warnings]
    assert {w.kind for w in mix.warnings} == {"day_missing"}
    community = board_mix(Board.objects.get(slug="community"), monday - timedelta(days=7), monday + timedelta(days=20))
    assert community.total >= 15
    assert community.warnings == [], [w.message for w in community.warnings]


def test_running_it_again_changes_nothing(db):
    seed()
    counts = (Pillar.objects.count(), Pillar.drafts.through.objects.count(), Draft.objects.count())
    seed()
    assert (Pillar.objects.count(), Pillar.drafts.through.objects.count(), Draft.objects.count()) == counts
