"""Permission-matrix rows for the reliability panel (see tests/test_permission_matrix.py): the page, its CSV and
its API are for the board's managers (and site admins); members who do not manage it get 403, everyone else
404. Behind the agreement gate: a manager with the Launch NDA unsigned is sent to sign it first (the API
answers 403 naming the agreement)."""

import re
from urllib.parse import quote

from django.urls import reverse

from tests.matrix_agreements import board_agreement, gated


def matrix_entries(m) -> list:
    def to_sign(ctx):
        path = reverse("board-reliability", kwargs=m.board_slug(ctx))
        return re.escape(f"/agreements/{board_agreement(ctx).pk}/?next={quote(path, safe='')}")

    def api_board(ctx):
        return {"board_id": ctx.personas.board.pk}

    def csv_query(ctx):
        return {"days": "7", "format": "csv"}

    def is_csv(response, ctx):
        return response["Content-Type"].startswith("text/csv")

    E = m.Expect  # noqa: N806
    # fmt: off
    return [
        #       URL name                 method  anon out  con  rev  man  adm
        m.page("board-reliability",     "GET",  E(302, 404, 403, 403, 200, 200), kwargs=m.board_slug),
        m.page("board-reliability",     "GET",  E(302, 404, 403, 403, 200, 200), kwargs=m.board_slug,
               data=csv_query, variant="csv", shows=is_csv, seen_by=frozenset({"manager", "admin"})),
        m.page("board-reliability",     "GET",  E(302, 404, 403, 403, 302, 200), kwargs=gated(m.board_slug),
               variant="gated", redirect=to_sign),
        m.api("api-board-reliability",  "GET",  E(401, 404, 403, 403, 200, 200), kwargs=api_board),
        m.api("api-board-reliability",  "GET",  E(401, 404, 403, 403, 403, 200), kwargs=gated(api_board),
              variant="gated"),
    ]
    # fmt: on
