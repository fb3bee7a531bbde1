"""The calendar pages: every board of mine (/calendar/) and one board's (/boards/<slug>/calendar/), the events
they fetch as JSON (/calendar/events/) and the one endpoint a drag, a drop from the sidebar and the keyboard's
"Move…" form all post to (/calendar/reschedule/<draft_id>/), which calls publishing's draft_reschedule.

Times: FullCalendar shows named zones only with a plugin we do not ship, so the calendar runs in UTC mode
and each event is given as the wall-clock time of its own board's zone, with the zone's abbreviation on the
event ("09:00 CET"). A board's calendar is so exactly in the board's zone (daylight saving included); the
calendar of all my boards shows each post at its board's local time, labelled. A move posts the date and
time it was dropped at, read in the board's zone again on the server.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from csp.constants import NONCE
from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from cocreate.errors import refusal_for
from contributors.agreements.gate import require_access
from contributors.selectors import board_get_for_user
from drafts.planning import calendar_selectors as selectors
from drafts.selectors import draft_get_for_user
from publishing.services.reschedule import draft_reschedule

# FullCalendar writes its own rules into a <style> element it makes, and gives it the nonce read from
# <meta name="csp-nonce">: the calendar pages allow styles carrying the request's nonce. Its rules declare
# its icon font as a data: URL, which Chromium fetches with the stylesheet (we show text, not the icons):
# the calendar pages allow data: fonts too. Nothing else changes.
calendar_csp = csp_update({"style-src": [NONCE], "font-src": ["data:"]})


def _page(request, *, board=None):
    boards = selectors.calendar_boards(request.user, board=board)
    if board is not None and not boards:
        require_access(request.user, board, action="plan")  # kept off by an unsigned agreement: sign first
        raise Http404("No such board.")
    unscheduled = selectors.unscheduled_approved(request.user, boards=boards)
    events_url = reverse("calendar-events")
    if board is not None:
        events_url += f"?board={board.slug}"
    zones = sorted({row.time_zone for row in boards})
    now_zone = ZoneInfo(boards[0].time_zone) if board is not None and boards else None
    context = {
        "board": board,
        "calendar_boards": boards,
        "unscheduled": unscheduled,
        "legend": selectors.board_pillars(boards),
        "events_url": events_url,
        "may_move": any(row.may_move for row in boards),
        "zones": zones,
        "zone_name": boards[0].time_zone if board is not None and boards else "",
        "now_offset": _offset_minutes(now_zone) if now_zone else "",
        "state_legend": [("scheduled", "Scheduled"), ("published", "Published"), ("failed", "Failed")],
        "today": timezone.now().astimezone(now_zone).date() if now_zone else timezone.localdate(),
    }
    return render(request, "planning/calendar.html", context)


def _offset_minutes(zone: ZoneInfo) -> int:
    offset = timezone.now().astimezone(zone).utcoffset() or timedelta(0)
    return int(offset.total_seconds() // 60)


@login_required
@require_GET
@calendar_csp
def calendar(request):
    slug = request.GET.get("board") or ""
    if slug:
        return HttpResponseRedirect(reverse("board-calendar", args=[board_get_for_user(request.user, slug=slug).slug]))
    return _page(request)


@login_required
@require_GET
@calendar_csp
def board_calendar(request, slug: str):
    return _page(request, board=board_get_for_user(request.user, slug=slug))


def _error(message: str, status: int = 400, errors: dict | None = None) -> JsonResponse:
    return JsonResponse({"ok": False, "message": message, "errors": errors or {}}, status=status)


@login_required
@require_GET
def calendar_events(request):
    """FullCalendar's event source: ?start=&end= (ISO dates or datetimes; their date is taken; neither: the
    days around today) and ?board=<slug>."""
    if not request.GET.get("start") and not request.GET.get("end"):
        today = timezone.localdate()  # the month around today, for a look without FullCalendar's window
        start, end = today - timedelta(days=selectors.MAX_DAYS // 2), today + timedelta(days=selectors.MAX_DAYS // 2)
        request.GET = request.GET.copy()
        request.GET.update({"start": start.isoformat(), "end": end.isoformat()})
    try:
        start, end = selectors.parse_window(request.GET.get("start"), request.GET.get("end"))
    except ValidationError as exc:
        errors = exc.message_dict
        return _error(
            " ".join(m for ms in errors.values() for m in ms).replace("`from`", "`start`").replace("`to`", "`end`"),
            errors=errors,
        )
    board = None
    if request.GET.get("board"):
        board = board_get_for_user(request.user, slug=request.GET["board"])
    entries = selectors.calendar_entries(request.user, start, end, board=board)
    return JsonResponse(events_for(entries), safe=False)


def _floating(moment: datetime) -> str:
    return moment.replace(tzinfo=None).isoformat(timespec="minutes")


_MARK = 2147483647  # an id no draft has yet: reversed once, then filled in (reverse() per post cost 40 %)


def _url_template(name: str) -> str:
    return reverse(name, args=[_MARK]).replace(str(_MARK), "{}")


def events_for(entries: selectors.CalendarEntries) -> list[dict]:
    """FullCalendar event objects: the posts, the notes (all day) and the deadlines (apart, marked)."""
    events: list[dict] = []
    draft_url, move_url = _url_template("draft-detail"), _url_template("calendar-reschedule")
    labels: dict = {}
    for post in entries.posts:
        local = post.local
        movable = post.movable
        offset = local.utcoffset()
        zone = labels.get((post.board.pk, offset)) or labels.setdefault(
            (post.board.pk, offset), selectors.zone_label(local)
        )
        colour = post.pillars[0]["colour"] if post.pillars else "#64748b"
        events.append(
            {
                "id": f"post-{post.pk}",
                "title": post.title,
                "start": _floating(local),
                "allDay": False,
                "editable": movable,
                "borderColor": colour,
                "classNames": ["cal-post", f"cal-post--{post.state}"],
                "extendedProps": {
                    "kind": "post",
                    "draftId": post.pk,
                    "version": post.version,
                    "url": draft_url.format(post.pk),
                    "moveUrl": move_url.format(post.pk) if movable else "",
                    "board": post.board.name,
                    "zone": zone,
                    "timeZone": post.board.time_zone,
                    "localDate": local.date().isoformat(),
                    "localTime": f"{local.hour:02d}:{local.minute:02d}",
                    "state": post.state,
                    "stateLabel": post.state_label,
                    "pillars": post.pillars,
                    "channels": [c["name"] for c in post.channels],
                    "channelKinds": sorted({c["kind_short"] for c in post.channels}),
                },
            }
        )
    for note in entries.notes:
        events.append(
            {
                "id": f"note-{note.pk}",
                "title": note.title,
                "start": note.starts_on.isoformat(),
                "end": (note.ends_on + timedelta(days=1)).isoformat(),
                "allDay": True,
                "editable": False,
                "classNames": ["cal-note"],
                "extendedProps": {"kind": "note", "board": note.board.name, "body": note.body},
            }
        )
    for deadline in entries.deadlines:
        local = deadline.local
        events.append(
            {
                "id": f"deadline-{deadline.pk}",
                "title": f"{deadline.label}: {deadline.draft_title}",
                "start": _floating(local),
                "allDay": False,
                "editable": False,
                "classNames": ["cal-deadline"],
                "extendedProps": {
                    "kind": "deadline",
                    "url": draft_url.format(deadline.draft_id),
                    "board": deadline.board.name,
                    "zone": selectors.zone_label(local),
                    "localTime": local.strftime("%H:%M"),
                },
            }
        )
    return events


def local_moment(day: str, at: str, zone_name: str) -> datetime:
    """The aware moment of a wall-clock date and time in a zone; ValidationError for a bad date or time, or
    one the zone skips or repeats when its clocks change (refused like the draft page's schedule form does)."""
    errors = {}
    try:
        parsed_day = date.fromisoformat((day or "").strip())
    except ValueError:
        errors["date"] = ["Give the date as YYYY-MM-DD."]
    try:
        parsed_time = time.fromisoformat((at or "").strip()[:5])
    except ValueError:
        errors["time"] = ["Give the time as HH:MM (24-hour clock)."]
    if not errors and not selectors.FIRST_YEAR <= parsed_day.year <= selectors.LAST_YEAR:
        errors["date"] = [f"Give a date in the years {selectors.FIRST_YEAR} to {selectors.LAST_YEAR}."]
    if errors:
        raise ValidationError(errors)
    zone = selectors.zone_of(zone_name)
    moment = datetime.combine(parsed_day, parsed_time, tzinfo=zone)
    back = moment.astimezone(ZoneInfo("UTC")).astimezone(zone)
    if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise ValidationError(
            {
                "time": [
                    f"{parsed_time:%H:%M} does not exist on {parsed_day:%-d %b} in {zone_name}: the clocks go forward."
                ]
            }
        )
    if moment.replace(fold=0).utcoffset() != moment.replace(fold=1).utcoffset():
        raise ValidationError(
            {
                "time": [
                    f"{parsed_time:%H:%M} happens twice on {parsed_day:%-d %b} in {zone_name} (the clocks go back): "
                    "choose another time."
                ]
            }
        )
    return moment


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _back(request):
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("calendar")
    return HttpResponseRedirect(target)


@login_required
@require_POST
def calendar_reschedule(request, draft_id: int):
    """Schedule or move a post to `date` + `time` (the board's wall clock), optionally `version` as the
    calendar saw it. JSON for the calendar's script (Accept: application/json), a redirect with a message for a
    plain form."""
    version = request.POST.get("version") or None
    try:
        draft = draft_get_for_user(request.user, draft_id)  # 404 first for whoever cannot see it
        publish_at = local_moment(request.POST.get("date", ""), request.POST.get("time", ""), draft.board.time_zone)
        event = draft_reschedule(
            draft_id=draft.pk,
            actor=request.user,
            publish_at=publish_at,
            expected_version=int(version) if version and version.isdigit() else None,
        )
    except Http404:
        if _wants_json(request):
            return _error("No such post.", 404)
        raise
    except Exception as exc:
        refusal = refusal_for(exc)
        if refusal is None:
            raise
        message = (
            " ".join(m for ms in refusal.field_errors.values() for m in ms)
            or " ".join(refusal.messages)
            or "You are not allowed to do that."
        )
        if _wants_json(request):
            return _error(message, refusal.status, refusal.field_errors)
        if refusal.status in (403, 404):
            raise  # a plain form: the refusal's page (an unsigned agreement: where to sign)
        messages.error(request, message)
        return _back(request)
    local = event.draft.publish_at.astimezone(selectors.zone_of(draft.board.time_zone))
    verb = "Scheduled" if event.transition == "schedule" and event.data.get("moved_from") is None else "Moved"
    message = f"{verb} “{draft.title}” to {local:%a %-d %b, %H:%M} {selectors.zone_label(local)}."
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "message": message,
                "publishAt": event.draft.publish_at.isoformat(),
                "version": event.draft.version,
            }
        )
    messages.success(request, message)
    return _back(request)
