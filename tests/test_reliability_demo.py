"""The demo's Launch board has reliability figures worth looking at (some posts late, some retried, one failed
per channel), and a second run changes nothing."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from contributors.models import Board
from publishing import reliability
from publishing.models import Publication


def test_the_demo_has_late_retried_and_failed_posts_and_is_idempotent(db):
    call_command("seed_demo", stdout=StringIO())
    now = timezone.now()
    figures = reliability.board_reliability(Board.objects.get(slug="launch"), now - timedelta(days=90), now)
    assert figures.channels
    for row in figures.channels:
        assert row.current.published >= 5
        assert 0 < row.current.on_time < row.current.published
        assert row.current.retries >= 1
        assert row.current.p99 > reliability.ON_TIME_SECONDS
        assert row.current.failed >= 1
        assert row.latest_error
    before = list(Publication.objects.order_by("pk").values_list("pk", "published_at", "attempts"))
    call_command("seed_demo", stdout=StringIO())
    assert list(Publication.objects.order_by("pk").values_list("pk", "published_at", "attempts")) == before
