"""Benchmark the review queue across boards (GET /api/review-queue/ and the /review/ page) at 100,000 drafts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cocreate_bench .venv/bin/python bench/bench_review_queue.py

Uses bench_draft_list.py's database and fill (1,000 users, 200 boards, 100,000 drafts in every state; the user
`bench_reviewer` reviews 20 boards), then spreads the drafts' `state_since` (when each entered its state) over
the weeks after they were last updated, and times, for that reviewer, through Django's whole stack (in-process
test client, session auth, the page rendered or the JSON serialised):

* the queue's first page (state review, oldest waiting first), a later page by cursor, newest first, by title,
  one board, approved-not-scheduled, changes requested, overdue, and the page itself;

and the SQL of each request replayed alone. It ends with `goal review-queue p95: <x> ms (target 150 ms) met|missed`
lines and checks that every request costs the same number of queries.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cocreate_bench")

import bench_draft_list as base  # noqa: E402  (sets the environment for production settings)

TARGET_P95_MS = 150.0


def spread_waiting_times() -> None:
    """Each draft entered its state some hours to weeks after its last update (one UPDATE, then ANALYZE)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "UPDATE drafts_draft SET state_since = LEAST(now(), updated_at + (id % 500) * interval '1 hour') "
            "WHERE state_since > updated_at + (id % 500) * interval '1 hour' + interval '1 second'"
        )
        cur.execute("ANALYZE drafts_draft")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--refill", action="store_true")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--drafts", type=int, default=100_000)
    parser.add_argument("--boards", type=int, default=200)
    parser.add_argument("--users", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    url = os.environ["DATABASE_URL"]
    base.ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from contributors.models import Board, User
    from drafts.models import Draft
    from drafts.worklist import selectors

    if args.refill or not base.is_filled(args.drafts, args.boards, args.users):
        if not args.refill and (User.objects.exists() or Board.objects.exists() or Draft.objects.exists()):
            sys.exit("The database holds other data than this benchmark's; pass --refill to wipe it and fill.")
        base.wipe()
        base.fill(args.drafts, args.boards, args.users, args.seed)
    spread_waiting_times()
    if settings.STATIC_ROOT:
        call_command("collectstatic", interactive=False, verbosity=0)

    reviewer = User.objects.get(username=base.REVIEWER)
    client = Client()
    client.force_login(reviewer)
    boards = selectors.user_boards(reviewer)
    queue = selectors.review_queue_page(reviewer, selectors.QueueFilters())
    print(
        f"bench_reviewer reviews {len(boards.reviewed)} boards: {queue.state_counts['review']} drafts in review, "
        f"{queue.state_counts['approved']} approved, {queue.state_counts['changes']} sent back "
        f"(of {Draft.objects.count()} drafts)"
    )
    second = client.get("/api/review-queue/", secure=True).json()["next"]
    one_board = boards.open_reviewed[0]
    scenarios = [
        ("api first page", "/api/review-queue/"),
        ("api next page", second.split("testserver", 1)[-1] if second else "/api/review-queue/"),
        ("api newest", "/api/review-queue/?sort=newest"),
        ("api title", "/api/review-queue/?sort=title"),
        ("api one board", f"/api/review-queue/?board={one_board}"),
        ("api approved", "/api/review-queue/?state=approved"),
        ("api changes", "/api/review-queue/?state=changes"),
        ("api overdue", "/api/review-queue/?waiting=overdue"),
        ("page /review/", "/review/"),
    ]
    query_counts = {}
    sql_ms = {}
    for name, path in scenarios:
        captured = []

        def recorder(execute, sql, params, many, context, captured=captured):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                captured.append(time.perf_counter() - started)

        with connection.execute_wrapper(recorder):
            assert client.get(path, secure=True).status_code == 200, path
        query_counts[name] = len(captured)
        sql_ms[name] = sum(captured) * 1000

    samples: dict[str, list[float]] = {name: [] for name, _ in scenarios}
    for i in range(args.warmup + args.requests):
        for name, path in scenarios:  # the rows take turns: a burst elsewhere hits every row alike
            started = time.perf_counter()
            response = client.get(path, secure=True)
            elapsed = time.perf_counter() - started
            assert response.status_code == 200
            if i >= args.warmup:
                samples[name].append(elapsed)

    print(f"\n{'scenario':<18} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'SQL ms':>8} {'queries':>8}")
    worst = 0.0
    for name, _ in scenarios:
        stats = base.summarize(samples[name])
        worst = max(worst, stats["p95"])
        print(
            f"{name:<18} {stats['p50']:8.1f} {stats['p95']:8.1f} {stats['max']:8.1f} {sql_ms[name]:8.1f} "
            f"{query_counts[name]:8d}"
        )
    api_counts = {n for name, n in query_counts.items() if name.startswith("api")}
    print(f"\nqueries per API request: {sorted(api_counts)} (constant: {'yes' if len(api_counts) == 1 else 'no'})")
    for name, _ in scenarios:
        p95 = base.summarize(samples[name])["p95"]
        print(
            f"goal review-queue p95 [{name}]: {p95:.1f} ms (target {TARGET_P95_MS:.0f} ms) "
            f"{'met' if p95 <= TARGET_P95_MS else 'missed'}"
        )
    print(
        f"goal review-queue p95: {worst:.1f} ms (target {TARGET_P95_MS:.0f} ms) "
        f"{'met' if worst <= TARGET_P95_MS else 'missed'}"
    )
    if base.STATIC_TEMP:
        import shutil

        shutil.rmtree(base.STATIC_TEMP, ignore_errors=True)


if __name__ == "__main__":
    main()
