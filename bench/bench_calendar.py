"""Benchmark the calendar's month: 2,000 posts on 20 boards, read by a manager of all 20.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cocreate_calendar_bench .venv/bin/python bench/bench_calendar.py

Creates the database if it is missing, migrates it and fills it once (20 boards in two time zones, each with
three pillars and two channels; 100 posts a board in one month, scheduled and published, each in a pillar and
on both channels, as Publication rows; a note a week), then measures through Django's whole stack (the
in-process test client: middleware, session, view, JSON) for the manager:

* the calendar page's event source, GET /calendar/events/?start=&end= (the month view's 6 weeks), and
* GET /api/calendar/?from=&to= (the same window),

each `--requests` times after a warm-up: p50 and p95 against the goal (p95 < 150 ms) and the SQL queries of
one request, which must not change with the number of posts (a second, smaller window is counted too).
"""

import argparse
import os
import random
import statistics
import sys
import time
import warnings
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cocreate_calendar_bench"
os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
os.environ["DJANGO_SETTINGS_MODULE"] = "cocreate.settings"
os.environ["DEBUG"] = "0"
os.environ["SECRET_KEY"] = "bench-throwaway-secret-key-not-for-production-0123456789"
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
os.environ.setdefault("LOG_LEVEL", "WARNING")
warnings.filterwarnings("ignore", message="No directory at")

import dj_database_url  # noqa: E402
import psycopg2  # noqa: E402
from psycopg2 import sql as pgsql  # noqa: E402

TARGET_P95_MS = 150.0
MANAGER = "bench_calendar_manager"
BOARDS = 20
POSTS_PER_BOARD = 100
MONTH = date(2031, 3, 1)  # a month in the future, with a daylight-saving change in both zones
ZONES = ["Europe/Copenhagen", "America/New_York"]
PILLARS = [("Product", "#4f46e5"), ("Community", "#0f766e"), ("Education", "#c2410c")]


def ensure_database(url: str) -> None:
    cfg = dj_database_url.parse(url)
    if not cfg["ENGINE"].endswith("postgresql"):
        sys.exit(f"DATABASE_URL must point at PostgreSQL, got {cfg['ENGINE']}")
    dsn = {"dbname": "postgres", "user": cfg["USER"] or None, "password": cfg["PASSWORD"] or None}
    dsn.update(host=cfg["HOST"] or None, port=cfg["PORT"] or None)
    conn = psycopg2.connect(**{k: v for k, v in dsn.items() if v})
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]])
        if cur.fetchone() is None:
            print(f"Creating database {cfg['NAME']}")
            cur.execute(pgsql.SQL("CREATE DATABASE {}").format(pgsql.Identifier(cfg["NAME"])))
    conn.close()


def fill(seed: int) -> None:
    from django.db import transaction

    from contributors.models import Board, User
    from contributors.services import board_role_grant
    from drafts.models import Draft, DraftState
    from drafts.planning.models import CalendarNote, Pillar
    from publishing.models import Channel, Publication

    rng = random.Random(seed)
    t0 = time.perf_counter()
    with transaction.atomic():
        manager = User.objects.create(username=MANAGER, email="bench@example.com", password="!bench")
        author = User.objects.create(username="bench_calendar_author", email="a@example.com", password="!bench")
        now = datetime.now(UTC)
        for b in range(BOARDS):
            board = Board.objects.create(name=f"Calendar board {b:02d}", slug=f"calendar-board-{b:02d}",
                                         time_zone=ZONES[b % 2])  # fmt: skip
            board_role_grant(board=board, user=manager, role="manager")
            board_role_grant(board=board, user=author, role="contributor")
            pillars = Pillar.objects.bulk_create(
                Pillar(board=board, name=name, colour=colour, position=i) for i, (name, colour) in enumerate(PILLARS)
            )
            channels = []
            for kind, name in [("webhook", "Site hook"), ("mastodon", "Toots")]:
                channel = Channel(board=board, kind=kind, name=name, settings={"url": "https://example.invalid"})
                channel.credentials = {"secret": "x"} if kind == "webhook" else {"token": "x"}
                channel.save()
                channels.append(channel)
            zone = ZoneInfo(board.time_zone)
            drafts = []
            for n in range(POSTS_PER_BOARD):
                day = MONTH + timedelta(days=rng.randrange(31))
                at = datetime.combine(day, clock(rng.choice([9, 12, 15, 17])), tzinfo=zone)
                state = DraftState.PUBLISHED if n % 3 == 0 else DraftState.SCHEDULED
                drafts.append(
                    Draft(
                        board=board,
                        author=author,
                        title=f"Post {n} of board {b}",
                        body="Text.",
                        state=state,
                        publish_at=at,
                        state_since=now,
                    )  # fmt: skip
                )
            drafts = Draft.objects.bulk_create(drafts)
            Pillar.drafts.through.objects.bulk_create(
                Pillar.drafts.through(pillar_id=pillars[i % 3].pk, draft_id=d.pk) for i, d in enumerate(drafts)
            )
            Publication.objects.bulk_create(
                Publication(
                    draft=d, channel=c, due_at=d.publish_at, state="published" if d.state == "published" else "pending"
                )  # fmt: skip
                for d in drafts
                for c in channels
            )
            CalendarNote.objects.bulk_create(
                CalendarNote(
                    board=board,
                    title=f"Week {w}",
                    starts_on=MONTH + timedelta(7 * w),
                    ends_on=MONTH + timedelta(7 * w + 1),
                )  # fmt: skip
                for w in range(4)
            )
    print(f"Filled {BOARDS} boards x {POSTS_PER_BOARD} posts in {time.perf_counter() - t0:.1f} s")


def measure(client, url: str, params: dict, requests: int) -> tuple[list[float], int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        response = client.get(url, params, secure=True)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params, secure=True)
    queries = len(ctx.captured_queries)
    size = len(response.content)
    times, cpu = [], []
    for _ in range(requests):
        t, c = time.perf_counter(), time.process_time()
        response = client.get(url, params, secure=True)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        assert response.status_code == 200
    return times, queries, size, cpu


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


def report(name: str, measured: tuple, small_queries: int, shown: int) -> bool:
    times, queries, size, cpu = measured
    ok = p95(times) < TARGET_P95_MS and queries == small_queries
    print(
        f"{name:<30} p50 {statistics.median(times):6.1f} ms  p95 {p95(times):6.1f} ms  (goal p95 < "
        f"{TARGET_P95_MS:.0f} ms; this process's CPU: p50 {statistics.median(cpu):5.1f}, p95 {p95(cpu):5.1f})  "
        f"{queries} queries (a week: {small_queries})  {shown} posts, {size / 1024:.0f} KiB  {'OK' if ok else 'MISSED'}"
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--refill", action="store_true", help="empty the database's calendar data and fill again")
    parser.add_argument(
        "--no-gc-freeze",
        dest="gc_freeze",
        action="store_false",
        help="leave out the gc.freeze() that cocreate/wsgi.py does after start-up: the p95 tail is then the cyclic "
        "GC walking the process's long-lived objects (with it, CPU p95 = p50)",
    )
    args = parser.parse_args()

    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from contributors.models import Board, User

    call_command("migrate", verbosity=0)
    if args.refill:
        Board.objects.filter(slug__startswith="calendar-board-").delete()
        User.objects.filter(username__startswith="bench_calendar_").delete()
    if not User.objects.filter(username=MANAGER).exists():
        fill(args.seed)
    client = Client()
    client.force_login(User.objects.get(username=MANAGER))
    if args.gc_freeze:
        import gc

        client.get("/calendar/events/", {"start": MONTH, "end": MONTH + timedelta(days=1)}, secure=True)
        gc.collect()
        gc.freeze()

    # The month view asks for its six weeks (Monday 24 Feb to Monday 7 April 2031).
    start = MONTH - timedelta(days=MONTH.weekday())
    end = start + timedelta(days=42)
    week = (MONTH + timedelta(days=7), MONTH + timedelta(days=14))
    print(f"Load average now: {', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    ok = True
    for name, url, key_from, key_to in [
        ("GET /calendar/events/ (month)", "/calendar/events/", "start", "end"),
        ("GET /api/calendar/ (month)", "/api/calendar/", "from", "to"),
    ]:
        measured = measure(client, url, {key_from: start, key_to: end}, args.requests)
        small_queries = measure(client, url, {key_from: week[0], key_to: week[1]}, 1)[1]
        body = client.get(url, {key_from: start, key_to: end}, secure=True).json()
        shown = len(body["posts"]) if isinstance(body, dict) else sum(e["id"].startswith("post-") for e in body)
        ok = report(name, measured, small_queries, shown) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
