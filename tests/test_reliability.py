"""The reliability panel: its figures from fixed publications, the page, its CSV, the API, and a fixed number
of queries however many publications there are."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from drafts.models import Draft
from publishing import reliability
from publishing.models import Publication
from tests.factories import make_channel, make_draft
from tests.test_query_counts import assert_same_count, logged_in, measure


def hook(board, name="Site hook"):
    return make_channel(
        board, "webhook", name=name, settings={"url": "http://127.0.0.1:9/"}, credentials={"secret": "s3cret"}
    )


def publish(personas, channel, *, due, state="published", late=None, attempts=1, error="", publish_at=None):
    draft = make_draft(personas.board, personas.contributor, title=f"Post due {due:%H:%M:%S}")
    if publish_at is not None:
        Draft.objects.filter(pk=draft.pk).update(publish_at=publish_at)
    return Publication.objects.create(
        draft=draft,
        channel=channel,
        due_at=due,
        state=state,
        attempts=attempts,
        last_error=error,
        published_at=due + late if late is not None else None,
    )


@pytest.fixture
def period():
    end = timezone.now().replace(microsecond=0)
    return end - timedelta(days=7), end


@pytest.fixture
def fixed(personas, period):
    """On time, late, retried (late from its publish time, not its moved due_at), failed, pending; one in the
    period before; one older than both; and a second channel with nothing."""
    start, end = period
    t0 = start + timedelta(days=1)
    site = hook(personas.board)
    quiet = hook(personas.board, name="Zz quiet")
    publish(personas, site, due=t0, late=timedelta(seconds=0.8))
    publish(personas, site, due=t0 + timedelta(hours=1), late=timedelta(minutes=3))
    publish(
        personas,
        site,
        due=t0 + timedelta(hours=2, minutes=10),
        late=timedelta(seconds=5),
        attempts=3,
        publish_at=t0 + timedelta(hours=2),
    )
    publish(personas, site, due=t0 + timedelta(hours=3), state="failed", attempts=2, error="503 Service Unavailable")
    publish(personas, site, due=t0 + timedelta(hours=4), state="pending", attempts=0)
    publish(personas, site, due=start - timedelta(days=1), late=timedelta(seconds=30))
    publish(personas, site, due=start - timedelta(days=30), state="failed", error="Old failure")
    return site, quiet


def test_it_counts_each_channel_over_the_period(personas, period, fixed):
    site, quiet = fixed
    figures = reliability.board_reliability(personas.board, *period)
    assert [row.channel.pk for row in figures.channels] == [site.pk, quiet.pk]
    cur = figures.channels[0].current
    assert (cur.due, cur.published, cur.failed, cur.pending) == (5, 3, 1, 1)
    assert (cur.on_time, cur.retried, cur.retries) == (1, 2, 3)
    assert cur.on_time_rate == pytest.approx(1 / 3)
    # Nearest rank of [0.8, 180, 605]: the retried post is 10 min 5 s after its publish time.
    assert cur.p50 == pytest.approx(180)
    assert cur.p99 == pytest.approx(605)
    assert figures.channels[0].latest_error == "503 Service Unavailable"


def test_it_compares_with_the_period_before(personas, period, fixed):
    figures = reliability.board_reliability(personas.board, *period)
    prev = figures.channels[0].previous
    assert (prev.due, prev.published, prev.failed, prev.on_time) == (1, 1, 0, 1)
    assert prev.p50 == pytest.approx(30)
    assert figures.previous_start == period[0] - timedelta(days=7)


def test_a_channel_with_nothing_due_has_no_rates(personas, period, fixed):
    quiet = reliability.board_reliability(personas.board, *period).channels[1]
    assert quiet.current.due == 0
    assert quiet.current.on_time_rate is None
    assert quiet.current.p99 is None
    assert quiet.latest_error == ""


def test_human_durations_read_as_words():
    assert [reliability.human_duration(s) for s in (None, 0.8, 42, 180, 5400, 2 * 86400)] == [
        "–", "0.8 s", "42 s", "3 min", "1.5 h", "2 days",
    ]  # fmt: skip


def test_the_page_shows_the_table_with_trends(personas, fixed):
    response = logged_in(personas.manager).get(reverse("board-reliability", args=[personas.board.slug]) + "?days=7")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Site hook" in text
    assert "33 %" in text
    assert "3 min" in text
    assert "10 min" in text
    assert "503 Service Unavailable" in text
    assert "worse, was 100" in text  # on time fell from 100 % to 33 %


def test_the_publication_log_links_to_it_for_managers_only(personas):
    url = reverse("board-publications", args=[personas.board.slug])
    link = reverse("board-reliability", args=[personas.board.slug])
    assert link in logged_in(personas.manager).get(url).content.decode()
    assert link not in logged_in(personas.reviewer).get(url).content.decode()


def test_an_empty_board_says_so(personas):
    hook(personas.board)
    response = logged_in(personas.manager).get(reverse("board-reliability", args=[personas.board.slug]))
    assert response.status_code == 200
    assert "Nothing was due in this period" in response.content.decode()


def test_a_bad_period_is_a_400_saying_why(personas, api_client_for):
    response = logged_in(personas.manager).get(reverse("board-reliability", args=[personas.board.slug]) + "?days=8")
    assert response.status_code == 400
    assert "The period must be 7, 30, 90 days" in response.content.decode()
    api = api_client_for("manager").get(f"/api/boards/{personas.board.pk}/reliability/?days=x")
    assert api.status_code == 400
    assert "days" in api.json()


def test_the_csv_has_a_row_per_channel(personas, fixed):
    url = reverse("board-reliability", args=[personas.board.slug]) + "?days=7&format=csv"
    response = logged_in(personas.manager).get(url)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["channel"] for r in rows] == ["Site hook", "Zz quiet"]
    assert rows[0]["due"] == "5"
    assert rows[0]["on_time_percent"] == "33.3"
    assert rows[0]["p99_lateness_seconds"] == "605.0"
    assert rows[0]["previous_on_time_percent"] == "100.0"


def test_the_api_gives_the_same_figures(personas, fixed, api_client_for):
    response = api_client_for("manager").get(f"/api/boards/{personas.board.pk}/reliability/?days=7")
    assert response.status_code == 200
    site = response.json()["channels"][0]
    assert site["current"]["due"] == 5
    assert site["current"]["retries"] == 3
    assert site["current"]["p50_lateness_seconds"] == pytest.approx(180)
    assert site["previous"]["on_time_rate"] == 1.0
    assert site["latest_failure"] == "503 Service Unavailable"


def test_the_page_and_api_run_a_fixed_number_of_queries(personas, period):
    site = hook(personas.board)
    start = period[0] + timedelta(days=1)
    page = reverse("board-reliability", args=[personas.board.slug]) + "?days=7"
    api = f"/api/boards/{personas.board.pk}/reliability/?days=7"
    client = logged_in(personas.manager)

    def add(channel, n):
        for i in range(n):
            publish(personas, channel, due=start + timedelta(minutes=i), late=timedelta(seconds=i * 20), attempts=2)
            publish(personas, channel, due=start - timedelta(days=1, minutes=i), state="failed", error=f"e{i}")

    add(site, 1)
    small = measure(client, page), measure(client, api)
    add(site, 6)
    add(hook(personas.board, name="Second"), 5)
    large = measure(client, page), measure(client, api)
    assert_same_count(small[0], large[0])
    assert_same_count(small[1], large[1])
