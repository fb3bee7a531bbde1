"""Times on pages are in the board's time zone and say which zone it is."""

from datetime import UTC, datetime
from types import SimpleNamespace

from django.template import Context, Template


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_it_shows_a_time_in_the_boards_zone_with_the_zones_name():
    board = SimpleNamespace(time_zone="Europe/Copenhagen")
    html = render("{{ when|zoned:board }}", when=datetime(2026, 12, 2, 8, 0, tzinfo=UTC), board=board)
    assert html == ('<time datetime="2026-12-02T08:00:00+00:00" title="Europe/Copenhagen">2 Dec 2026, 09:00 CET</time>')


def test_it_follows_daylight_saving_time():
    text = render("{{ when|zoned_text:'Europe/Copenhagen' }}", when=datetime(2026, 7, 1, 7, 30, tzinfo=UTC))
    assert text == "1 Jul 2026, 09:30 CEST"


def test_an_unknown_or_empty_zone_is_shown_as_utc_and_says_so():
    when = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    assert render("{{ when|zoned_text:zone }}", when=when, zone="Mars/Olympus") == "2 Dec 2026, 08:00 UTC"
    assert render("{{ when|zoned_text:zone }}", when=when, zone="") == "2 Dec 2026, 08:00 UTC"


def test_no_time_renders_nothing():
    assert render("{{ when|zoned:'UTC' }}", when=None) == ""
