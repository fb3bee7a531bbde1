"""Permission-matrix rows for content pillars and the mix (see tests/test_permission_matrix.py): everyone on
the board reads the pillars page, the mix panel and their API; only managers (and site admins) change
pillars; an outsider gets 404. Like the board's other pages, they are behind the agreement gate: with the
Launch NDA unsigned, members are sent to sign it (pages) or get a 403 naming it (API)."""

import re
from urllib.parse import quote

from django.urls import reverse

from drafts.planning.pillar_services import pillar_create
from tests.matrix_agreements import board_agreement, gated


def matrix_entries(m) -> list:
    def a_pillar(ctx):
        return ctx.once(
            "pillar",
            lambda: pillar_create(board=ctx.personas.board, actor=None, name="Product", target_percent=30),
        )

    def page_pillar(ctx):
        return {"slug": ctx.personas.board.slug, "pillar_id": a_pillar(ctx).pk}

    def api_board(ctx):
        return {"board_id": ctx.personas.board.pk}

    def api_pillar(ctx):
        return {"board_id": ctx.personas.board.pk, "pillar_id": a_pillar(ctx).pk}

    def pillar_form(ctx):
        return {"name": "Community", "colour": "#b4462b", "target_percent": "40", "description": ""}

    def pillar_edit_form(ctx):
        return {"name": "Products", "colour": "#2f6f4e", "target_percent": "30", "description": ""}

    def pillar_json(ctx):
        return {"name": "Community", "colour": "#b4462b", "target_percent": 40}

    def move_down(ctx):
        pillar_create(board=ctx.personas.board, actor=None, name="Second")
        return {"direction": "down"}

    def pillars_url(ctx):
        return re.escape(reverse("board-pillars", args=[ctx.personas.board.slug]))

    def at_a_pillar(ctx):
        return pillars_url(ctx) + r"#pillar-\d+"

    def moved(ctx):
        pk = a_pillar(ctx).pk
        return pillars_url(ctx) + re.escape(f"?moved={pk}&dir=down")

    def mix_week(ctx):
        return {"slug": ctx.personas.board.slug}

    def to_sign(name, kwargs):
        def pattern(ctx):
            path = reverse(name, kwargs=kwargs(ctx))
            return re.escape(f"/agreements/{board_agreement(ctx).pk}/?next={quote(path, safe='')}")

        return pattern

    def draft_pillars_form(ctx):
        return {"pillars": [str(a_pillar(ctx).pk)], "version": ctx.draft.version}

    def draft_pillars_json(ctx):
        return {"pillars": [a_pillar(ctx).pk]}

    def to_draft(ctx):
        return re.escape(reverse("draft-detail", args=[ctx.draft.pk]) + "#pillars")

    E = m.Expect  # noqa: N806
    # fmt: off
    return [
        #       URL name                 method  anon out  con  rev  man  adm
        m.page("board-pillars",         "GET",  E(302, 404, 200, 200, 200, 200), kwargs=m.board_slug),
        m.page("board-pillars",         "POST", E(302, 404, 403, 403, 302, 302), kwargs=m.board_slug,
               data=pillar_form, redirect=at_a_pillar),
        m.page("board-pillar-edit",     "GET",  E(302, 404, 403, 403, 200, 200), kwargs=page_pillar),
        m.page("board-pillar-edit",     "POST", E(302, 404, 403, 403, 302, 302), kwargs=page_pillar,
               data=pillar_edit_form, redirect=at_a_pillar),
        m.page("board-pillar-delete",   "GET",  E(302, 404, 403, 403, 200, 200), kwargs=page_pillar),
        m.page("board-pillar-delete",   "POST", E(302, 404, 403, 403, 302, 302), kwargs=page_pillar,
               redirect=pillars_url),
        m.page("board-pillar-move",     "POST", E(302, 404, 403, 403, 302, 302), kwargs=page_pillar,
               data=move_down, redirect=moved),
        m.page("board-pillar-move",     "GET",  E(302, 405, 405, 405, 405, 405), kwargs=page_pillar),
        m.page("board-calendar-mix",    "GET",  E(302, 404, 200, 200, 200, 200), kwargs=mix_week),
        m.page("board-pillars",         "GET",  E(302, 404, 302, 302, 302, 200), kwargs=gated(m.board_slug),
               variant="gated", redirect=to_sign("board-pillars", m.board_slug)),
        m.page("board-calendar-mix",    "GET",  E(302, 404, 302, 302, 302, 200), kwargs=gated(mix_week),
               variant="gated", redirect=to_sign("board-calendar-mix", mix_week)),
        # A draft's pillars: its writers while it is a draft; the board's managers in any state but archived.
        m.page("draft-pillars",         "POST", E(302, 404, 302, 302, 302, 302), kwargs=m.draft_id,
               data=draft_pillars_form, redirect=to_draft),
        m.page("draft-pillars",         "POST", E(302, 404, 403, 403, 302, 302), kwargs=m.draft_id,
               data=draft_pillars_form, redirect=to_draft, state="scheduled", variant="scheduled"),
        m.page("draft-pillars",         "GET",  E(302, 405, 405, 405, 405, 405), kwargs=m.draft_id),
        m.api("api-draft-pillars",      "PUT",    E(401, 404, 200, 200, 200, 200), kwargs=m.draft_id,
              data=draft_pillars_json),
        m.api("api-draft-pillars",      "PUT",    E(401, 404, 403, 403, 200, 200), kwargs=m.draft_id,
              data=draft_pillars_json, state="scheduled", variant="scheduled"),
        m.api("api-board-pillars",      "GET",    E(401, 404, 200, 200, 200, 200), kwargs=api_board),
        m.api("api-board-pillars",      "POST",   E(401, 404, 403, 403, 201, 201), kwargs=api_board,
              data=pillar_json),
        m.api("api-board-pillar",       "GET",    E(401, 404, 200, 200, 200, 200), kwargs=api_pillar),
        m.api("api-board-pillar",       "PATCH",  E(401, 404, 403, 403, 200, 200), kwargs=api_pillar,
              data=lambda ctx: {"target_percent": 25}),
        m.api("api-board-pillar",       "DELETE", E(401, 404, 403, 403, 204, 204), kwargs=api_pillar),
        m.api("api-board-mix",          "GET",    E(401, 404, 200, 200, 200, 200), kwargs=api_board),
        m.api("api-board-pillars",      "GET",    E(401, 404, 403, 403, 403, 200), kwargs=gated(api_board),
              variant="gated"),
        m.api("api-board-mix",          "GET",    E(401, 404, 403, 403, 403, 200), kwargs=gated(api_board),
              variant="gated"),
    ]
    # fmt: on
