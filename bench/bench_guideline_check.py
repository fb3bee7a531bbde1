"""Benchmark the guideline check on 640 KB texts: the engine alone, then the API at the body limit.

    .venv/bin/python bench/bench_guideline_check.py [--runs 5] [--no-api]

The rules are the demo's (contributors/guidelines/demo.py: the Launch board's, plus the Community board's
disclosure, checked as a contributor writes), and for one shape the board's maximum of rules. Each shape is
checked `--runs` times; the script prints the median, the slowest run, the problems found and shown, and the
size of the JSON the API would answer. Target: every shape under 0.5 s.

The API part migrates an in-memory SQLite database (cocreate.settings_test), makes a board with the demo's
rules and posts a body of exactly DRAFT_BODY_MAX_CHARS to /api/guidelines/<id>/check/ through Django's whole
stack (the check refuses longer text with a 400, like the draft it is for).
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocreate.settings_test")

TARGET_SECONDS = 0.5
SIZE = 640_000  # characters (ASCII: bytes too)
PARAGRAPH = (
    "Launch week was pure synergy: the planner helped every team plan its Monday.\n"
    "It is a game\nchanger, say our users; read https://elsewhere.example/story?id=7 and "
    "https://planner.example/blog for more. #PlannerLaunch #ad\n"
    "Short sentences. Talk to one person, not to users. Leverage nothing, disrupt nobody.\n\n"
)
CLEAN = "The planner shows your week at a glance, and you decide what matters on Monday morning.\n"


def _fill(unit: str, size: int = SIZE) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _distinct_links() -> str:
    links, number = [], 0
    while sum(map(len, links)) < SIZE:
        links.append(f"http://h{number}.example ")
        number += 1
    return "".join(links)[:SIZE]


def demo_rules(many: bool = False):
    from cocreate.limits import GUIDELINE_RULES_MAX
    from contributors.guidelines.checks import rule_from
    from contributors.guidelines.demo import COMMUNITY_RULES, LAUNCH_RULES

    specs = list(LAUNCH_RULES) + list(COMMUNITY_RULES)
    if many:  # fill up to the board's maximum with more banned phrases, hashtags and domain lists
        extra = GUIDELINE_RULES_MAX - len(specs)
        for i in range(extra):
            if i % 3 == 0:
                specs.append(("banned_phrase", "warning", {"phrase": f"buzzword{i} phrase", "replacement": "plain"}))
            elif i % 3 == 1:
                specs.append(("required_hashtag", "warning", {"hashtag": f"#Tag{i}"}))
            else:
                specs.append(("allowed_domains", "warning", {"domains": ["planner.example", f"site{i}.example"]}))
    return [rule_from(kind=k, severity=s, params=p, rule_id=n) for n, (k, s, p) in enumerate(specs, 1)]


def shapes() -> list[tuple[str, dict, bool]]:
    """(name, text parts, many rules)"""
    mixed = _fill(PARAGRAPH)
    return [
        ("one banned phrase repeated ('synergy ' * 80000)", {"body": "synergy " * 80_000}, False),
        ("mixed text, demo rules", {"body": mixed, "variants": {"x": mixed[:2_000]}}, False),
        ("mixed text, 100 rules", {"body": mixed, "variants": {"x": mixed[:2_000]}}, True),
        ("one long line, no newline, demo rules", {"body": mixed.replace("\n", " ")}, False),
        ("one long line, no newline, 100 rules", {"body": mixed.replace("\n", " ")}, True),
        ("clean prose, no problem, 100 rules", {"body": _fill(CLEAN)}, True),
        ("links to 32,000 different hosts, 100 rules", {"body": _distinct_links()}, True),
        ("whitespace runs after a phrase's first word", {"body": _fill("game" + " " * 5_000 + "x ")}, False),
    ]


def bench_engine(runs: int) -> bool:
    from contributors.guidelines.checks import TextParts, check_text

    print(f"Engine (contributors.guidelines.checks.check_text), {SIZE:,}-character body, {runs} runs each:")
    ok = True
    for name, parts, many in shapes():
        rules = demo_rules(many)
        text_parts = TextParts(author_role="contributor", **parts)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            report = check_text(rules, text_parts)
            times.append(time.perf_counter() - started)
        answer = json.dumps({"problems": [p.as_dict() for p in report.problems], "total": report.total})
        median, worst = statistics.median(times), max(times)
        ok &= worst < TARGET_SECONDS
        print(
            f"  {name:<50} median {median:.3f} s, max {worst:.3f} s; {len(rules)} rules, "
            f"{report.total:,} problems, {len(report.problems)} shown, answer {len(answer) / 1024:.0f} KB"
        )
    return ok


def bench_api(runs: int) -> bool:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from cocreate.limits import DRAFT_BODY_MAX_CHARS
    from contributors.guidelines.demo import LAUNCH_RULES
    from contributors.guidelines.services import guideline_rule_create
    from contributors.models import Board, User
    from contributors.services import board_role_grant

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    # The test database (in memory on SQLite), as pytest would make it: never the developer's var/ database.
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    admin = User.objects.create_superuser("bench_admin", "admin@example.com", "x")
    manager = User.objects.create_user("bench_manager", "manager@example.com", "x")
    board = Board.objects.create(name="Bench", slug="bench")
    board_role_grant(board=board, user=manager, role="manager", actor=admin)
    for kind, severity, params in LAUNCH_RULES:
        guideline_rule_create(board=board, actor=manager, kind=kind, severity=severity, params=params)
    client = Client()
    client.force_login(manager)
    url = f"/api/guidelines/{board.pk}/check/"
    print(f"API (POST {url} through Django's stack, in-process client), {DRAFT_BODY_MAX_CHARS:,}-character body:")
    # One small request first, not timed: the first through the stack pays for imports and URL resolving.
    client.post(url, json.dumps({"title": "Warm-up", "body": "synergy"}), content_type="application/json")
    ok = True
    bodies = [
        ("'synergy ' repeated", _fill("synergy ", DRAFT_BODY_MAX_CHARS)),
        ("mixed text", _fill(PARAGRAPH, DRAFT_BODY_MAX_CHARS)),
    ]
    for name, body in bodies:
        payload = json.dumps({"title": "Bench", "body": body})
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.post(url, payload, content_type="application/json")
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content[:300]
        median, worst = statistics.median(times), max(times)
        ok &= worst < TARGET_SECONDS
        data = response.json()
        print(
            f"  {name:<50} median {median:.3f} s, max {worst:.3f} s; {data['total']:,} problems, "
            f"{len(data['problems'])} shown, answer {len(response.content) / 1024:.0f} KB"
        )
    over = client.post(url, json.dumps({"body": "x" * (DRAFT_BODY_MAX_CHARS + 1)}), content_type="application/json")
    print(f"  one character over the limit: {over.status_code} {over.content.decode()[:120]}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-api", action="store_true", help="time the engine only (no database)")
    args = parser.parse_args()
    import django

    django.setup()
    ok = bench_engine(args.runs)
    if not args.no_api:
        ok &= bench_api(args.runs)
    print(f"Target: every shape under {TARGET_SECONDS} s: {'met' if ok else 'NOT met'}.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
