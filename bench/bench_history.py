"""Nothing grows with history: each list that grows with a workspace's history, timed with 100 rows behind it
and with 100,000, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cocreate_history_bench .venv/bin/python bench/bench_history.py

(DATABASE_URL defaults to that URL.) Creates the database if it is missing, migrates it and fills it once:

* the publication log: board `bench-small` with 100 publications, board `bench-large` with 100,000 (4
  channels each, 25,000 drafts on the large board), states mixed, due times over two years;
* a draft's history: one draft with 100 events, one with 100,000;
* the board list: user `bench_few` on 100 boards, user `bench_many` on 100,000 (real guardian rows).

Then it times, through Django's whole stack (django.test.Client, force_login, production settings), the
first page and a page further on (its cursor) of each list at both sizes: the publication log page, the
draft page (its latest events) and its history page, the board list page and `GET /api/boards/`.
`--requests N` (default 30) timed requests after 5 warm-ups, the rows taking turns. It ends with one line
per list: `goal <name>: <p50 at 100,000> vs <p50 at 100> ms, <ratio>x (target <= 1.5x) met|missed`.
"""

import argparse
import os
import statistics
import sys
import time
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cocreate_history_bench"
os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
os.environ["DJANGO_SETTINGS_MODULE"] = "cocreate.settings"
os.environ["DEBUG"] = "0"  # production settings: no query log
os.environ["SECRET_KEY"] = "bench-throwaway-secret-key-not-for-production-0123456789"
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
os.environ.setdefault("LOG_LEVEL", "WARNING")
warnings.filterwarnings("ignore", message="No directory at")

TARGET_RATIO = 1.5
SIZES = {"small": 100, "large": 100_000}
CHANNELS_PER_BOARD = 4
BATCH = 5_000
START = datetime(2025, 1, 1, tzinfo=UTC)


def ensure_database(url: str) -> None:
    import dj_database_url
    import psycopg2
    from psycopg2 import sql as pgsql

    cfg = dj_database_url.parse(url)
    if not cfg["ENGINE"].endswith("postgresql"):
        sys.exit(f"DATABASE_URL must point at PostgreSQL, got {cfg['ENGINE']}")
    conn = psycopg2.connect(
        dbname="postgres", user=cfg["USER"] or None, host=cfg["HOST"] or None, port=cfg["PORT"] or None
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]])
        if cur.fetchone() is None:
            print(f"Creating database {cfg['NAME']}")
            cur.execute(pgsql.SQL("CREATE DATABASE {}").format(pgsql.Identifier(cfg["NAME"])))
    conn.close()


def fill() -> None:
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from contributors.models import Board, BoardUserObjectPermission, User
    from contributors.roles import ROLE_PERMISSIONS
    from drafts.models import Draft, DraftEvent
    from publishing.models import Channel, Publication, PublicationState

    if Board.objects.filter(slug="bench-large").exists():
        return
    print("Filling the bench database once (a few minutes)...")
    started = time.monotonic()
    states = [PublicationState.PUBLISHED] * 6 + [PublicationState.FAILED, PublicationState.PENDING]
    with transaction.atomic():
        author = User.objects.create(username="bench_author", email="author@example.com")
        for size_name, count in SIZES.items():
            board = Board.objects.create(name=f"Bench {size_name}", slug=f"bench-{size_name}")
            channels = [
                Channel.objects.create(
                    board=board, kind="webhook", name=f"Hook {n}", settings={"url": "https://x.example/"}
                )
                for n in range(CHANNELS_PER_BOARD)
            ]
            drafts = Draft.objects.bulk_create(
                [Draft(board=board, author=author, title=f"Post {n}", body="Body " * 50, state="published")
                 for n in range(count // CHANNELS_PER_BOARD)],
                batch_size=BATCH,
            )  # fmt: skip
            Publication.objects.bulk_create(
                (
                    Publication(
                        draft=drafts[n // CHANNELS_PER_BOARD],
                        channel=channels[n % CHANNELS_PER_BOARD],
                        due_at=START + timedelta(minutes=10 * (n // CHANNELS_PER_BOARD)),
                        state=states[n % len(states)],
                    )
                    for n in range(count)
                ),
                batch_size=BATCH,
            )
            history = Draft.objects.create(board=board, author=author, title=f"History {size_name}")
            DraftEvent.objects.bulk_create(
                (DraftEvent(draft=history, actor=author, transition="submit", target="review", comment=f"Event {n}")
                 for n in range(count)),
                batch_size=BATCH,
            )  # fmt: skip
        board_type = ContentType.objects.get_for_model(Board)
        permissions = list(
            Permission.objects.filter(content_type=board_type, codename__in=ROLE_PERMISSIONS["contributor"])
        )
        for username, count in (("bench_few", SIZES["small"]), ("bench_many", SIZES["large"])):
            user = User.objects.create(username=username, email=f"{username}@example.com")
            boards = Board.objects.bulk_create(
                [Board(name=f"{username} board {n:06}", slug=f"{username}-{n}") for n in range(count)],
                batch_size=BATCH,
            )
            BoardUserObjectPermission.objects.bulk_create(
                (BoardUserObjectPermission(user=user, permission=p, content_object=b)
                 for b in boards for p in permissions),
                batch_size=BATCH,
            )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  filled in {time.monotonic() - started:.0f} s")


def cases():
    """(list name, size name, user, path) rows; a second page of each through its first page's cursor."""
    import re

    from django.test import Client

    from contributors.models import Board, User
    from drafts.models import Draft

    admin, _ = User.objects.get_or_create(username="bench_admin", defaults={"is_staff": True, "is_superuser": True})
    rows = []
    for size in SIZES:
        board = Board.objects.get(slug=f"bench-{size}")
        history = Draft.objects.get(board=board, title=f"History {size}")
        user = User.objects.get(username="bench_few" if size == "small" else "bench_many")
        for name, who, path in (
            ("publication log", admin, f"/boards/{board.slug}/publications/"),
            ("publication log, failed", admin, f"/boards/{board.slug}/publications/?state=failed"),
            ("draft page (latest events)", admin, f"/drafts/{history.pk}/"),
            ("draft history", admin, f"/drafts/{history.pk}/history/"),
            ("board list page", user, "/"),
            ("board list API", user, "/api/boards/"),
        ):
            client = Client()
            client.force_login(who)
            rows.append((name, size, client, path))
            first = client.get(path, secure=True)
            assert first.status_code == 200, (path, first.status_code)
            body = first.content.decode()
            found = re.search(r'"next": ?"([^"]+)"', body) or re.search(r'href="([^"]*after=[^"]+)"', body)
            if found:
                target = found.group(1).replace("&amp;", "&")
                if target.startswith("http"):
                    target = target.split("testserver", 1)[1]
                elif target.startswith("?"):
                    target = path.split("?")[0] + target
                rows.append((f"{name}, next page", size, client, target))
    return rows


def measure(rows, requests: int, warmup: int) -> dict:
    import resource

    timings: dict = {(name, size): [] for name, size, _, _ in rows}
    cpu: dict = {(name, size): 0.0 for name, size, _, _ in rows}
    for round_number in range(warmup + requests):
        for name, size, client, path in rows:
            before_cpu = resource.getrusage(resource.RUSAGE_SELF)
            before = time.perf_counter()
            response = client.get(path, secure=True)
            took = time.perf_counter() - before
            after_cpu = resource.getrusage(resource.RUSAGE_SELF)
            assert response.status_code == 200, (path, response.status_code)
            if round_number >= warmup:
                timings[(name, size)].append(took * 1000)
                cpu[(name, size)] += (after_cpu.ru_utime - before_cpu.ru_utime) * 1000
    return {key: (values, cpu[key] / len(values)) for key, values in timings.items()}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    options = parser.parse_args()

    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Pages name their static files; without a collectstatic manifest, plain URLs will do for timing.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    call_command("migrate", interactive=False, verbosity=0)
    fill()
    rows = cases()
    print(f"Timing {len(rows)} rows, {options.requests} requests each after {options.warmup} warm-ups; load average "
          "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))  # fmt: skip
    results = measure(rows, options.requests, options.warmup)
    print(f"\n{'list':<40} {'rows':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'CPU ms':>8}")
    for (name, size), (values, cpu_ms) in results.items():
        print(
            f"{name:<40} {SIZES[size]:>8,} {statistics.median(values):>8.1f} {p95(values):>8.1f} "
            f"{max(values):>8.1f} {cpu_ms:>8.1f}"
        )
    print()
    for name in dict.fromkeys(name for name, _ in results):
        if (name, "small") not in results or (name, "large") not in results:
            continue  # a second page that only the large list has
        small = statistics.median(results[(name, "small")][0])
        large = statistics.median(results[(name, "large")][0])
        ratio = large / small
        verdict = "met" if ratio <= TARGET_RATIO else "missed"
        print(
            f"goal {name} flat: {large:.1f} ms at 100,000 vs {small:.1f} ms at 100, {ratio:.2f}x "
            f"(target <= {TARGET_RATIO}x) {verdict}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
