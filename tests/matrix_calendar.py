"""Permission-matrix rows for the calendar (see tests/test_permission_matrix.py).

* `/calendar/` is everyone's who is signed in, showing only their own boards; its sidebar of approved drafts
  to schedule is for managers. `/boards/<slug>/calendar/` is for the board's members (404 for anyone else).
* `/calendar/events/` answers every signed-in person with the posts they may open (their own; reviewers and
  managers every post); without a window it gives the days around today.
* `/calendar/reschedule/<id>/` is the schedule step: managers only (403 for the board's other members, 404
  for outsiders); a plain form is sent back to the calendar.
* `/api/calendar/` needs `from` and `to`: without them every signed-in person gets the same 400 (test_calendar
  checks who sees what with a window).
* With the board's agreement unsigned its members see nothing of it: the board's calendar and a move send
  them to sign it, the calendars of all boards and the events leave it out.
"""

import re
from datetime import timedelta
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone

from tests.matrix_agreements import make_agreement


def matrix_entries(m) -> list:
    def gate(ctx):
        return ctx.once("agreement", lambda: make_agreement(ctx.personas.board))

    def gated(ctx):
        gate(ctx)
        return {}

    def gated_slug(ctx):
        gate(ctx)
        return m.board_slug(ctx)

    def gated_draft(ctx):
        gate(ctx)
        return m.draft_id(ctx)

    def to_sign(name, kwargs):
        def pattern(ctx):
            agreement = gate(ctx)
            path = reverse(name, kwargs=kwargs(ctx))
            return re.escape(f"/agreements/{agreement.pk}/?next={quote(path, safe='')}")

        return pattern

    def move_body(ctx):
        tomorrow = (timezone.now() + timedelta(days=1)).astimezone(timezone.get_current_timezone()).date()
        return {"date": tomorrow.isoformat(), "time": "10:00"}

    def to_calendar_or_sign(ctx):
        # A refused POST cannot be replayed after signing: the agreement's page, without a way back.
        return f"(/agreements/{gate(ctx).pk}/|{re.escape(reverse('calendar'))})"

    def lists_post(response, ctx):
        return any(event["id"] == f"post-{ctx.draft.pk}" for event in response.json())

    E = m.Expect  # noqa: N806
    managers = frozenset({"manager", "admin"})
    # fmt: off
    return [
        #       URL name               method  anon out  con  rev  man  adm
        m.page("calendar",            "GET",  E(302, 200, 200, 200, 200, 200), state="approved",
               shows=m.page_links_to_draft, seen_by=managers),
        m.page("calendar",            "GET",  E(302, 200, 200, 200, 200, 200), state="approved", kwargs=gated,
               variant="gated", shows=m.page_links_to_draft, seen_by=frozenset({"admin"})),
        m.page("board-calendar",      "GET",  E(302, 404, 200, 200, 200, 200), kwargs=m.board_slug, state="approved",
               shows=m.page_links_to_draft, seen_by=managers),
        m.page("board-calendar",      "GET",  E(302, 404, 302, 302, 302, 200), kwargs=gated_slug, variant="gated",
               redirect=to_sign("board-calendar", m.board_slug)),
        m.page("calendar-events",     "GET",  E(302, 200, 200, 200, 200, 200), state="scheduled",
               shows=lists_post, seen_by=m.MEMBERS),
        m.page("calendar-events",     "GET",  E(302, 200, 200, 200, 200, 200), state="scheduled", kwargs=gated,
               variant="gated", shows=lists_post, seen_by=frozenset({"admin"})),
        m.page("calendar-reschedule", "GET",  E(302, 405, 405, 405, 405, 405), kwargs=m.draft_id),
        m.page("calendar-reschedule", "POST", E(302, 404, 403, 403, 302, 302), kwargs=m.draft_id, state="approved",
               data=move_body, redirect=m.to("calendar")),
        m.page("calendar-reschedule", "POST", E(302, 404, 302, 302, 302, 302), kwargs=gated_draft,
               state="approved", data=move_body, variant="gated", redirect=to_calendar_or_sign),
        m.api("api-calendar",         "GET",  E(401, 400, 400, 400, 400, 400)),
    ]
    # fmt: on
