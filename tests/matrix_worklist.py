"""Permission-matrix rows for My work (`/`), the review queue (`/review/`, `/api/review-queue/`) and a board's
settings page (see tests/test_permission_matrix.py).

* `/` is everyone's who is signed in: each sees only their own boards' work. The contributor's draft in review
  shows on the contributor's My work (their drafts) and on the reviewer's, manager's and admin's (waiting for
  their review); never on an outsider's. With the board's agreement unsigned, its members see a prompt to
  sign instead of the draft (only the site admin, never gated, still sees it).
* `/review/` and `/api/review-queue/` answer 200 to every signed-in person: someone who reviews no board (an
  outsider, a contributor) gets an empty queue that says so, never a 403, and never another board's drafts.
* The board settings page is for the board's managers: 403 for its other members, 404 for outsiders.
"""

import re

from django.urls import reverse

from tests.matrix_agreements import make_agreement


def matrix_entries(m) -> list:
    def gated(ctx):
        ctx.once("agreement", lambda: make_agreement(ctx.personas.board))
        return {}

    def settings_body(ctx):
        return {"review_due_hours": "24"}

    def to_settings(ctx):
        return re.escape(reverse("board-settings", args=[ctx.personas.board.slug]))

    E = m.Expect  # noqa: N806
    everyone = frozenset({"contributor", "reviewer", "manager", "admin"})
    # fmt: off
    return [
        #       URL name          method  anon out  con  rev  man  adm
        m.page("my-work",        "GET",  E(302, 200, 200, 200, 200, 200), state="review",
               shows=m.page_links_to_draft, seen_by=everyone),
        m.page("my-work",        "GET",  E(302, 200, 200, 200, 200, 200), state="review", kwargs=gated,
               variant="gated", shows=m.page_links_to_draft, seen_by=frozenset({"admin"})),
        m.page("review-queue",   "GET",  E(302, 200, 200, 200, 200, 200), state="review",
               shows=m.page_links_to_draft, seen_by=m.REVIEWERS),
        m.page("review-queue",   "GET",  E(302, 200, 200, 200, 200, 200), state="review", kwargs=gated,
               variant="gated", shows=m.page_links_to_draft, seen_by=frozenset({"admin"})),
        m.api("api-review-queue", "GET", E(401, 200, 200, 200, 200, 200), state="review",
              shows=m.api_lists_draft, seen_by=m.REVIEWERS),
        m.api("api-review-queue", "GET", E(401, 200, 200, 200, 200, 200), state="review", kwargs=gated,
              variant="gated", shows=m.api_lists_draft, seen_by=frozenset({"admin"})),
        m.page("board-settings", "GET",  E(302, 404, 403, 403, 200, 200), kwargs=m.board_slug),
        m.page("board-settings", "POST", E(302, 404, 403, 403, 302, 302), kwargs=m.board_slug, data=settings_body,
               redirect=to_settings),
    ]
    # fmt: on
