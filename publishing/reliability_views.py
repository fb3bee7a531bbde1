"""The reliability panel (managers): per channel, how publishing went over the last 7, 30 or 90 days, next to
the period before; the same table as CSV (?format=csv). Figures come from publishing.reliability."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from contributors.agreements import gate
from contributors.permissions import is_site_admin, require_manager
from contributors.selectors import board_get_for_user
from publishing import reliability
from publishing.reliability import DEFAULT_DAYS, PERIOD_CHOICES, BoardReliability, PeriodFigures, human_duration


class BadPeriod(ValueError):
    pass


def parse_days(value: str | None) -> int:
    """?days= is one of PERIOD_CHOICES (absent: DEFAULT_DAYS); anything else is a BadPeriod saying so."""
    if value in (None, ""):
        return DEFAULT_DAYS
    try:
        days = int(value)
    except ValueError:
        days = -1
    if days not in PERIOD_CHOICES:
        allowed = ", ".join(str(d) for d in PERIOD_CHOICES)
        raise BadPeriod(f"The period must be {allowed} days (got {value!r}).")
    return days


def reliability_board(user, *, slug: str | None = None, pk: int | None = None):
    """The board, for its managers: 404 without a role, 403 for members who do not manage it, then the
    agreement gate (a manager with an unsigned agreement is sent to sign it)."""
    board = board_get_for_user(user, slug=slug, pk=pk)
    require_manager(user, board)
    if not is_site_admin(user):
        gate.require_access(user, board, action="see the publishing reliability of")
    return board


def _trend(now: float | None, before: float | None, *, higher_is_better: bool, unit: str = "") -> dict | None:
    """An arrow and words comparing the two periods (never colour alone); None when either has no value."""
    if now is None or before is None:
        return None
    if abs(now - before) < 1e-9:
        return {"arrow": "→", "text": "same as before", "tone": "same"}
    better = (now > before) == higher_is_better
    arrow = "↑" if now > before else "↓"
    was = f"{before:.0f}{unit}" if unit == "%" else human_duration(before) if unit == "s" else f"{before:g}"
    return {"arrow": arrow, "text": f"{'better' if better else 'worse'}, was {was}", "tone": "up" if better else "down"}


def _pct(figures: PeriodFigures) -> float | None:
    rate = figures.on_time_rate
    return None if rate is None else rate * 100


def table_rows(figures: BoardReliability) -> list[dict]:
    rows = []
    for row in figures.channels:
        cur, prev = row.current, row.previous
        rows.append(
            {
                "row": row,
                "on_time": _pct(cur),
                "p50": human_duration(cur.p50),
                "p99": human_duration(cur.p99),
                "on_time_trend": _trend(_pct(cur), _pct(prev), higher_is_better=True, unit="%"),
                "p99_trend": _trend(cur.p99, prev.p99, higher_is_better=False, unit="s"),
                "failed_trend": _trend(cur.failed, prev.failed, higher_is_better=False)
                if cur.due and prev.due
                else None,
            }
        )
    return rows


CSV_COLUMNS = [
    "channel", "kind", "period_start", "period_end", "due", "published", "failed", "pending", "on_time_percent",
    "p50_lateness_seconds", "p99_lateness_seconds", "retried", "retries", "latest_failure",
    "previous_due", "previous_published", "previous_failed", "previous_on_time_percent",
    "previous_p50_lateness_seconds", "previous_p99_lateness_seconds", "previous_retries",
]  # fmt: skip


def _cell(value: str) -> str:
    """Channel names and platform errors are outside input: keep spreadsheets from running them as formulas."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _csv(board, figures: BoardReliability, days: int) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{board.slug}-reliability-{days}d.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in figures.channels:
        cur, prev = row.current, row.previous
        writer.writerow(
            [
                _cell(row.channel.name), row.channel.kind, figures.start.isoformat(), figures.end.isoformat(),
                cur.due, cur.published, cur.failed, cur.pending, _num(_pct(cur)), _num(cur.p50), _num(cur.p99),
                cur.retried, cur.retries, _cell(row.latest_error),
                prev.due, prev.published, prev.failed, _num(_pct(prev)), _num(prev.p50), _num(prev.p99),
                prev.retries,
            ]
        )  # fmt: skip
    return response


@login_required
def board_reliability(request, slug: str):
    board = reliability_board(request.user, slug=slug)
    try:
        days = parse_days(request.GET.get("days"))
    except BadPeriod as error:
        context = {"board": board, "error": str(error), "days": DEFAULT_DAYS, "choices": PERIOD_CHOICES}
        return render(request, "publishing/board_reliability.html", context, status=400)
    start, end = reliability.period_for(days, now=timezone.now())
    figures = reliability.board_reliability(board, start, end)
    if request.GET.get("format") == "csv":
        return _csv(board, figures, days)
    context = {
        "board": board,
        "days": days,
        "choices": PERIOD_CHOICES,
        "figures": figures,
        "rows": table_rows(figures),
        "on_time_seconds": reliability.ON_TIME_SECONDS,
    }
    return render(request, "publishing/board_reliability.html", context)
