"""Permission-matrix rows for the draft's resolved comments page (see tests/test_permission_matrix.py): whoever may
see the draft may read its resolved comments; everyone else gets 404. Like the draft's other pages, the page is
behind the agreement gate: with the Launch NDA unsigned, members are sent to sign it first."""

import re
from urllib.parse import quote

from django.urls import reverse

from tests.matrix_agreements import make_agreement


def matrix_entries(m) -> list:
    def gated_draft_id(ctx):
        ctx.once("agreement", lambda: make_agreement(ctx.personas.board))
        return m.draft_id(ctx)

    def to_sign(ctx):
        agreement = ctx.once("agreement", lambda: make_agreement(ctx.personas.board))
        path = reverse("draft-resolved-comments", kwargs=m.draft_id(ctx))
        return re.escape(f"/agreements/{agreement.pk}/?next={quote(path, safe='')}")

    E = m.Expect  # noqa: N806
    # fmt: off
    return [
        #       URL name         method  anon out  con  rev  man  adm
        m.page("draft-resolved-comments", "GET",  E(302, 404, 200, 200, 200, 200), kwargs=m.draft_id),
        m.page("draft-resolved-comments", "GET",  E(302, 404, 302, 302, 302, 200), kwargs=gated_draft_id,
               variant="gated", redirect=to_sign),
    ]
    # fmt: on
