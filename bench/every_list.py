"""bench_draft_list.py's second part: every list of the API and the HTML pages, each beside its own SQL.

Imported by bench_draft_list.py once Django is set up on the benchmark database. It adds what the lists
show beyond drafts (channels and publications; one draft in review with a history of revisions, comments
and events), times each list through Django's whole stack, replays the SELECTs that one request sent on a
raw psycopg2 cursor, and optionally compares request rates under gunicorn. See bench/README.md.
"""

import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
CHANNELS_PER_BOARD = 2
HISTORY_DRAFT_TITLE = "Bench draft with a history"
HISTORY_ROUNDS = 6  # the review page's draft: revisions, comments and events from this many review rounds
LIST_TARGET_MS = 100.0
PAGE_TARGET_MS = 150.0
SQL_RATIO_TARGET = 3.0
GUNICORN_RATE_TARGET = 0.25


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# --- Data beyond the drafts ---------------------------------------------------------------------------------


def fill_extras(seed: int) -> None:
    """Channels on every board and a publication for every scheduled, published or failed draft (once)."""
    from django.db import connection, transaction

    from contributors.models import Board
    from drafts.models import Draft
    from publishing.models import Channel, Publication, PublicationState

    if Channel.objects.exists():
        return
    t0 = time.perf_counter()
    rng = random.Random(seed)
    states = {"scheduled": PublicationState.PENDING, "published": PublicationState.PUBLISHED}
    with transaction.atomic():
        channels = Channel.objects.bulk_create(
            [
                Channel(board_id=board_id, kind=kind, name=f"{kind.title()} {board_id}")
                for board_id in Board.objects.values_list("pk", flat=True)
                for kind in ("mastodon", "webhook")[:CHANNELS_PER_BOARD]
            ],
            batch_size=2000,
        )
        by_board: dict[int, list[int]] = {}
        for channel in channels:
            by_board.setdefault(channel.board_id, []).append(channel.pk)
        rows = Draft.objects.filter(state__in=["scheduled", "published", "failed"]).values_list(
            "pk", "board_id", "state", "publish_at"
        )
        publications = []
        for draft_id, board_id, state, publish_at in rows.iterator(chunk_size=5000):
            for channel_id in rng.sample(by_board[board_id], rng.randint(1, len(by_board[board_id]))):
                publications.append(
                    Publication(
                        draft_id=draft_id,
                        channel_id=channel_id,
                        state=states.get(state, PublicationState.FAILED),
                        due_at=publish_at,
                        attempts=0 if state == "scheduled" else 1,
                        published_at=publish_at if state == "published" else None,
                        platform_url=f"https://social.example/{draft_id}/{channel_id}" if state == "published" else "",
                    )
                )
        Publication.objects.bulk_create(publications, batch_size=5000)
    connection.set_autocommit(True)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    print(
        f"Added {len(channels)} channels and {len(publications)} publications in {time.perf_counter() - t0:.1f} s",
    )


def history_draft(reviewer, board_id: int):
    """A draft in review on the reviewer's board with HISTORY_ROUNDS rounds of edits, comments and sending
    back behind it (made once, through the services, as people would)."""
    from drafts import services
    from drafts.models import Draft

    title = HISTORY_DRAFT_TITLE
    draft = Draft.objects.filter(board_id=board_id, title=title).first()
    if draft is not None:
        return draft
    author = Draft.objects.filter(board_id=board_id).exclude(author=reviewer).values_list("author", flat=True)[0]
    from contributors.models import User

    author = User.objects.get(pk=author)
    draft = services.draft_create(
        board=Draft.objects.filter(board_id=board_id).first().board,
        author=author,
        title=title,
        body="First take on **the launch** post. " * 12,
        tags=["launch"],
    )
    for n in range(HISTORY_ROUNDS):
        draft.refresh_from_db()
        services.draft_update(
            draft_id=draft.pk, actor=author, version=draft.version, body=f"Take {n + 2} on **the launch** post. " * 12
        )
        services.comment_create(draft_id=draft.pk, author=reviewer, body=f"Round {n + 1}: tighten the opening.")
        services.comment_create(
            draft_id=draft.pk,
            author=reviewer,
            body="Is this the claim we want?",
            quote="the launch",
            prefix=f"Take {n + 2} on **",
            suffix="** post",
            position=0,
        )
        services.draft_transition(draft_id=draft.pk, name="submit", actor=author)
        if n < HISTORY_ROUNDS - 1:
            services.draft_transition(
                draft_id=draft.pk, name="request_changes", actor=reviewer, comment=f"Round {n + 1}: not yet."
            )
    return Draft.objects.get(pk=draft.pk)


# --- Measuring ----------------------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    kind: str  # "api" or "page"
    client: object
    path: str
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    sql_times: list[float] = field(default_factory=list)
    queries: list = field(default_factory=list)
    n_queries: int = 0
    listed: str = ""

    @property
    def target_ms(self) -> float:
        return PAGE_TARGET_MS if self.kind == "page" else LIST_TARGET_MS


def p(samples: list[float], q: int) -> float:
    ms = sorted(s * 1000 for s in samples)
    return statistics.quantiles(ms, n=100, method="inclusive")[q - 1] if len(ms) > 1 else ms[0]


def _get(row: Row):
    response = row.client.get(row.path, secure=True)
    assert response.status_code == 200, (row.path, response.status_code, response.content[:300])
    return response


def capture(row: Row) -> None:
    """The SELECTs one request sends (its own SQL), and what it listed."""
    from django.db import connection

    captured = []

    def recorder(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(recorder):
        response = _get(row)
    row.n_queries = len(captured)
    row.queries = [(sql, params) for sql, params in captured if sql.lstrip("( ").upper().startswith("SELECT")]
    if row.kind == "api":
        body = response.json()
        if isinstance(body, dict):  # a keyset-paged list has next/previous links and no count
            row.listed = f"{len(body['results'])}" + (f" of {body['count']}" if "count" in body else " (keyset page)")
        else:
            row.listed = f"{len(body)}"


def time_rows(rows: list[Row], raw_cur, warmup: int, requests: int) -> None:
    """Round-robin over the rows (a burst of load elsewhere falls on every row alike): the request through
    Django, then its SELECTs replayed back to back on a raw cursor."""
    for row in rows:
        for _ in range(warmup):
            _get(row)
        capture(row)
    for _ in range(requests):
        for row in rows:
            c = time.process_time()
            t = time.perf_counter()
            _get(row)
            row.times.append(time.perf_counter() - t)
            row.cpu.append(time.process_time() - c)
            t = time.perf_counter()
            for sql, params in row.queries:
                raw_cur.execute(sql, params)
                raw_cur.fetchall()
            row.sql_times.append(time.perf_counter() - t)


def build_rows(*, reviewer, manager, board, draft, warmup: int, requests: int, raw_cur) -> list[Row]:
    from django.test import Client

    clients = {}
    for user in (reviewer, manager):
        clients[user.pk] = Client()
        clients[user.pk].force_login(user)
    r, m = clients[reviewer.pk], clients[manager.pk]
    rows = [
        Row("drafts", "api", r, "/api/drafts/?page_size=50"),
        Row("drafts board", "api", r, f"/api/drafts/?board={board.pk}&page_size=50"),
        Row("boards", "api", r, "/api/boards/"),
        Row("publications", "api", r, "/api/publications/"),
        Row("channels (mgr)", "api", m, "/api/channels/"),
        Row("invitations (mgr)", "api", m, "/api/invitations/"),
        Row("agreements", "api", r, "/api/agreements/"),
        Row("guidelines", "api", r, "/api/guidelines/"),
        Row("briefs", "api", r, "/api/briefs/"),
        Row("tokens", "api", r, "/api/auth/tokens/"),
        Row("draft events", "api", r, f"/api/drafts/{draft.pk}/events/"),
        Row("draft revisions", "api", r, f"/api/drafts/{draft.pk}/revisions/"),
        Row("draft comments", "api", r, f"/api/drafts/{draft.pk}/comments/"),
        Row("board page", "page", r, f"/boards/{board.slug}/"),
        Row("review page", "page", r, f"/drafts/{draft.pk}/"),
        Row("board list page", "page", r, "/"),
    ]
    time_rows(rows, raw_cur, warmup, requests)
    return rows


def print_rows(rows: list[Row]) -> list[tuple[str, str, bool]]:
    """The table, and the goals it decides: (name, figure with its target, met)."""
    header = (
        f"{'list':<18} {'kind':<4} {'listed':>12} {'SQLs':>4} | {'p50':>6} {'p95':>6} | {'CPU p50':>7} | "
        f"{'SQL p50':>7} {'p95':>6} | {'p95/SQL p95':>11} | {'target':>6}"
    )
    print("\n" + header)
    print("-" * len(header))
    for row in rows:
        ratio = p(row.times, 95) / max(p(row.sql_times, 95), 1e-6)
        print(
            f"{row.name:<18} {row.kind:<4} {row.listed:>12} {row.n_queries:>4} | {p(row.times, 50):>6.1f} "
            f"{p(row.times, 95):>6.1f} | {statistics.median(row.cpu) * 1000:>7.1f} | {p(row.sql_times, 50):>7.2f} "
            f"{p(row.sql_times, 95):>6.2f} | {ratio:>10.1f}x | {row.target_ms:>4.0f}ms"
        )
    print(
        "All times in ms, client side, through django.test.Client (whole stack, DEBUG=0). CPU p50 = this process's "
        "CPU per request (Django's own work). SQL = the SELECTs that one request sent (session and user "
        "included), replayed back to back on a raw psycopg2 cursor, in turn with the requests. "
        f"Load average now {load()}."
    )
    api = [row for row in rows if row.kind == "api"]
    pages = [row for row in rows if row.kind == "page"]
    worst_api = max(api, key=lambda row: p(row.times, 95))
    worst_page = max(pages, key=lambda row: p(row.times, 95))
    worst_ratio = max(rows, key=lambda row: p(row.times, 95) / max(p(row.sql_times, 95), 1e-6))
    ratio = p(worst_ratio.times, 95) / max(p(worst_ratio.sql_times, 95), 1e-6)
    return [
        (
            "api-list-p95",
            f"{p(worst_api.times, 95):.1f} ms, worst of {len(api)} API lists ({worst_api.name}) "
            f"(target < {LIST_TARGET_MS:.0f} ms)",
            p(worst_api.times, 95) < LIST_TARGET_MS,
        ),
        (
            "page-p95",
            f"{p(worst_page.times, 95):.1f} ms, worst of {len(pages)} pages ({worst_page.name}) "
            f"(target < {PAGE_TARGET_MS:.0f} ms; 100 ms for lists)",
            p(worst_page.times, 95) < PAGE_TARGET_MS,
        ),
        (
            "list-vs-sql",
            f"{ratio:.1f}x, worst p95 / own SQL p95 ({worst_ratio.name}) (target <= {SQL_RATIO_TARGET:.0f}x)",
            ratio <= SQL_RATIO_TARGET,
        ),
    ]


# --- Under gunicorn -----------------------------------------------------------------------------------------


def _rate_ab(url: str, cookie: str | None, clients: int, seconds: float) -> tuple[float, float]:
    command = ["ab", "-q", "-c", str(clients), "-t", str(seconds), "-n", "10000000"]
    if cookie:
        command += ["-C", cookie]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rate = next(float(line.split()[3]) for line in out.splitlines() if line.startswith("Requests per second"))
    failed = next(int(line.split()[2]) for line in out.splitlines() if line.startswith("Failed requests"))
    non2xx = sum(int(line.split()[2]) for line in out.splitlines() if line.startswith("Non-2xx responses"))
    if failed or non2xx:
        sys.exit(f"ab: {failed} failed, {non2xx} non-2xx answers from {url}")
    p50 = next(
        (float(line.split()[1]) for line in out.splitlines() if line.strip().startswith("50%")),
        float("nan"),
    )
    return rate, p50


def _rate_threads(url: str, cookie: str | None, clients: int, seconds: float) -> tuple[float, float]:
    """A small load generator: `clients` threads, each sending one request after the other."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {"Cookie": cookie} if cookie else {}
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client():
        mine = []
        while time.perf_counter() < stop:
            connection = HTTPConnection(parts.hostname, parts.port, timeout=30)
            t = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status != 200:
                raise RuntimeError(f"{url}: {response.status}")
            mine.append(time.perf_counter() - t)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.perf_counter() - t0), statistics.median(latencies) * 1000


def gunicorn_rates(*, reviewer, port: int, workers: int, clients: int, seconds: float) -> tuple[str, str, bool]:
    """GET /login/ against the 50-row draft list, under gunicorn (sync workers) with `clients` at a time."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(reviewer)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    env = {**os.environ, "SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0"}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "cocreate.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=BASE_DIR, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/healthz/", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit("gunicorn did not start")
                time.sleep(0.3)
        rate = _rate_ab if shutil.which("ab") else _rate_threads
        tool = "ab" if rate is _rate_ab else "Python threads"
        results = {}
        for name, path, with_cookie in (
            ("GET /login/", "/login/", False),
            ("GET /api/drafts/?page_size=50", "/api/drafts/?page_size=50", True),
        ):
            rate(base + path, cookie if with_cookie else None, clients, 2)  # warm every worker
            before = load()
            results[name] = rate(base + path, cookie if with_cookie else None, clients, seconds)
            print(
                f"gunicorn {workers} workers, {clients} clients ({tool}), {seconds:.0f} s: {name:<32} "
                f"{results[name][0]:>7.1f} req/s, p50 {results[name][1]:.0f} ms (load {before} before)"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    login, drafts = results["GET /login/"][0], results["GET /api/drafts/?page_size=50"][0]
    share = drafts / login
    return (
        "gunicorn-list-rate",
        f"{share:.0%} of the /login/ rate ({drafts:.1f} vs {login:.1f} req/s) (target >= {GUNICORN_RATE_TARGET:.0%})",
        share >= GUNICORN_RATE_TARGET,
    )
