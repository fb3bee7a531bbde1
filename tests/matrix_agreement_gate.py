"""Permission matrix rows for the agreement gate on every page it guards (the board page, drafts and the
draft form are in matrix_agreements.py). The Launch NDA binds contributors, reviewers and managers here and
nobody has signed it, so those three columns are the "unsigned" persona: a page sends them to the agreement
with `next` (302), the API answers 403 naming it. Site admins are bound by none; an outsider still gets 404.
"""

import re
from urllib.parse import quote

from django.urls import reverse

from tests.matrix_agreements import board_agreement, gated
from tests.matrix_briefs import _brief


def matrix_entries(m) -> list:
    def brief_id(ctx):
        return {"brief_id": _brief(ctx).pk}

    def brief_pk(ctx):
        return {"pk": _brief(ctx).pk}

    def to_sign(name, kwargs):
        """The agreement's page, `next` the gated page itself."""

        def pattern(ctx):
            path = reverse(name, kwargs=kwargs(ctx))
            return re.escape(f"/agreements/{board_agreement(ctx).pk}/?next={quote(path, safe='')}")

        return pattern

    def to_sign_without_next(ctx):
        # A form sent with no Referer: to the agreement, and from there nowhere in particular.
        return re.escape(f"/agreements/{board_agreement(ctx).pk}/")

    def gated_page(name, kwargs, expect, **options):
        return m.page(
            name, "GET", expect, kwargs=gated(kwargs), variant="gated", redirect=to_sign(name, kwargs), **options
        )

    E = m.Expect  # noqa: N806
    members_redirected = E(302, 404, 302, 302, 302, 200)
    # fmt: off
    return [
        #          URL name            kwargs          anon out  con  rev  man  adm
        gated_page("guidelines",      m.board_slug,   members_redirected),
        gated_page("guidelines-edit", m.board_slug,   members_redirected),  # the gate first, then the role
        gated_page("brief-list",      m.board_slug,   members_redirected),
        gated_page("brief-detail",    brief_id,       members_redirected),
        gated_page("draft-edit",      m.draft_id,     members_redirected),
        gated_page("draft-revisions", m.draft_id,     members_redirected),
        gated_page("draft-diff",      m.draft_id,     members_redirected),
        m.page("draft-comment",       "POST", E(302, 404, 302, 302, 302, 302), kwargs=gated(m.draft_id),
               variant="gated", data=m.comment, redirect=lambda ctx: (
                   to_sign_without_next(ctx) if ctx.persona != "admin"
                   else re.escape(f"/drafts/{ctx.draft.pk}/") + r"#comment-\d+")),
        m.page("brief-claim",         "POST", E(302, 404, 302, 302, 302, 302), kwargs=gated(brief_id),
               variant="gated", redirect=lambda ctx: (
                   to_sign_without_next(ctx) if ctx.persona != "admin" else m.any_draft(ctx))),
        m.api("api-guideline-detail", "GET",  E(401, 404, 403, 403, 403, 200), kwargs=gated(m.board_pk),
              variant="gated"),
        m.api("api-brief-detail",     "GET",  E(401, 404, 403, 403, 403, 200), kwargs=gated(brief_pk),
              variant="gated"),
        m.api("api-draft-comments",   "POST", E(401, 404, 403, 403, 403, 201), kwargs=gated(m.draft_pk),
              variant="gated", data=m.comment),
    ]
    # fmt: on
