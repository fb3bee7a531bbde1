"""Permission-matrix rows for calendar notes, deadlines, best-time hints and the calendar feed (see
tests/test_permission_matrix.py). Every member reads a board's notes, its hints and a visible draft's deadline;
reviewers and managers write notes and deadlines; nothing on a board you hold no role on exists for you (404).
Board pages are behind the agreement gate. The feed needs no sign-in: its secret address is the key."""

import re
from datetime import date, timedelta
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone

from drafts.planning.feed_services import calendar_feed_for_user
from drafts.planning.note_services import calendar_note_create
from tests.matrix_agreements import make_agreement


def _note(ctx):
    return ctx.once(
        "note",
        lambda: calendar_note_create(
            board=ctx.personas.board, actor=None, title="Spring launch", starts_on=timezone.localdate()
        ),
    )


def note_page(ctx) -> dict:
    return {"slug": ctx.personas.board.slug, "note_id": _note(ctx).pk}


def note_api(ctx) -> dict:
    return {"board_id": ctx.personas.board.pk, "note_id": _note(ctx).pk}


def board_id(ctx) -> dict:
    return {"board_id": ctx.personas.board.pk}


def gated_board_slug(ctx) -> dict:
    ctx.once("agreement", lambda: make_agreement(ctx.personas.board))
    return {"slug": ctx.personas.board.slug}


def gated_board_id(ctx) -> dict:
    ctx.once("agreement", lambda: make_agreement(ctx.personas.board))
    return {"board_id": ctx.personas.board.pk}


def note_form(ctx) -> dict:
    day = date.today() + timedelta(days=7)
    return {"title": "Holiday", "starts_on": day.isoformat(), "ends_on": "", "body": ""}


def note_json(ctx) -> dict:
    return {"title": "Holiday", "starts_on": (date.today() + timedelta(days=7)).isoformat()}


def note_patch(ctx) -> dict:
    return {"title": "Spring launch, moved"}


def deadline_form(ctx) -> dict:
    local = timezone.localtime(timezone.now() + timedelta(days=3))
    return {"due_at": local.strftime("%Y-%m-%dT%H:%M"), "label": "Due for review"}


def deadline_json(ctx) -> dict:
    return {"due_at": (timezone.now() + timedelta(days=3)).isoformat(), "label": "Due for review"}


def reviewers_feed(ctx) -> dict:
    return {"token": calendar_feed_for_user(user=ctx.personas.reviewer).token}


def unknown_feed(ctx) -> dict:
    return {"token": "no-such-calendar"}


def matrix_entries(m) -> list:
    def to_sign(url_name):
        def where(ctx):
            agreement = ctx.once("agreement", lambda: make_agreement(ctx.personas.board))
            path = reverse(url_name, kwargs={"slug": ctx.personas.board.slug})
            return re.escape(f"/agreements/{agreement.pk}/?next={quote(path, safe='')}")

        return where

    notes = m.to("board-calendar-notes", m.board_slug)

    def to_panel(ctx) -> str:
        return m.to("draft-detail", m.draft_id)(ctx) + "#deadline-panel"

    E = m.Expect  # noqa: N806
    # fmt: off
    return [
        # ---- Pages ---------------------------------------------------------------------------------------------
        #       URL name                       method         anon out  con  rev  man  adm
        m.page("board-calendar-notes",         "GET",  E(302, 404, 200, 200, 200, 200), kwargs=m.board_slug),
        m.page("board-calendar-notes",         "GET",  E(302, 404, 302, 302, 302, 200), kwargs=gated_board_slug,
               variant="gated", redirect=to_sign("board-calendar-notes")),
        m.page("board-calendar-notes",         "POST", E(302, 404, 403, 302, 302, 302), kwargs=m.board_slug,
               data=note_form, redirect=notes),
        m.page("board-calendar-note-edit",     "GET",  E(302, 404, 403, 200, 200, 200), kwargs=note_page),
        m.page("board-calendar-note-edit",     "POST", E(302, 404, 403, 302, 302, 302), kwargs=note_page,
               data=note_form, redirect=notes),
        m.page("board-calendar-note-delete",   "GET",  E(302, 404, 403, 200, 200, 200), kwargs=note_page),
        m.page("board-calendar-note-delete",   "POST", E(302, 404, 403, 302, 302, 302), kwargs=note_page,
               redirect=notes),
        # Without htmx the panel's address goes back to the draft (the panel is part of its page).
        m.page("draft-deadline",               "GET",  E(302, 404, 302, 302, 302, 302), kwargs=m.draft_id,
               redirect=to_panel),
        m.page("draft-deadline",               "POST", E(302, 404, 403, 302, 302, 302), kwargs=m.draft_id,
               data=deadline_form, redirect=to_panel),
        m.page("calendar-feed",                "GET",  E(200, 200, 200, 200, 200, 200), kwargs=reviewers_feed,
               public=True),
        m.page("calendar-feed",                "GET",  E(404, 404, 404, 404, 404, 404), kwargs=unknown_feed,
               public=True, variant="unknown"),
        m.page("calendar-feed-reset",          "GET",  E(302, 405, 405, 405, 405, 405)),
        m.page("calendar-feed-reset",          "POST", E(302, 302, 302, 302, 302, 302), redirect=m.to("profile-edit")),

        # ---- API -----------------------------------------------------------------------------------------------
        m.api("api-board-notes",               "GET",    E(401, 404, 200, 200, 200, 200), kwargs=board_id),
        m.api("api-board-notes",               "GET",    E(401, 404, 403, 403, 403, 200), kwargs=gated_board_id,
              variant="gated"),
        m.api("api-board-notes",               "POST",   E(401, 404, 403, 201, 201, 201), kwargs=board_id,
              data=note_json),
        m.api("api-board-note",                "PATCH",  E(401, 404, 403, 200, 200, 200), kwargs=note_api,
              data=note_patch),
        m.api("api-board-note",                "DELETE", E(401, 404, 403, 204, 204, 204), kwargs=note_api),
        m.api("api-board-best-times",          "GET",    E(401, 404, 200, 200, 200, 200), kwargs=board_id),
        m.api("api-draft-deadline",            "GET",    E(401, 404, 200, 200, 200, 200), kwargs=m.draft_id),
        m.api("api-draft-deadline",            "PUT",    E(401, 404, 403, 200, 200, 200), kwargs=m.draft_id,
              data=deadline_json),
        m.api("api-draft-deadline",            "DELETE", E(401, 404, 403, 204, 204, 204), kwargs=m.draft_id),
    ]
    # fmt: on
