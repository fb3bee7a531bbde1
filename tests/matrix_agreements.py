"""Permission matrix rows for agreements: members of a board that requires one read and accept it; site
admins also see who accepted. The gated variants show that an unsigned agreement hides the board's drafts
from everyone it binds (site admins are bound by none)."""

import re
from datetime import timedelta
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone

from contributors.agreements.services import (
    agreement_accept,
    agreement_create,
    agreement_require,
    agreement_version_publish,
)


def make_agreement(board):
    agreement = agreement_create(title="Launch NDA", actor=None)
    for role in ("contributor", "reviewer", "manager"):
        agreement_require(agreement=agreement, board=board, role=role, actor=None)
    agreement_version_publish(
        agreement=agreement,
        body="Keep the launch secret.",
        effective_on=timezone.localdate() - timedelta(days=1),
        actor=None,
    )
    return agreement


def matrix_entries(m) -> list:
    def an_agreement(ctx):
        return ctx.once("agreement", lambda: make_agreement(ctx.personas.board))

    def agreement_pk(ctx):
        return {"pk": an_agreement(ctx).pk}

    def contributors_acceptance(ctx):
        acceptance = ctx.once(
            "acceptance",
            lambda: agreement_accept(
                agreement=an_agreement(ctx), user=ctx.personas.contributor, signature="Connie Contributor"
            ),
        )
        return {"pk": acceptance.pk}

    def gated_board_slug(ctx):
        an_agreement(ctx)
        return m.board_slug(ctx)

    def gated_draft_id(ctx):
        an_agreement(ctx)
        return m.draft_id(ctx)

    def gated_draft_pk(ctx):
        an_agreement(ctx)
        return m.draft_pk(ctx)

    def gated_no_kwargs(ctx):
        an_agreement(ctx)
        return {}

    def signature(ctx):
        return {"signature": "Sam Signer", "version": 1}

    def api_lists_agreement(response, ctx):
        return any(item["id"] == an_agreement(ctx).pk for item in response.json()["results"])

    def api_lists_draft(response, ctx):
        return any(item["id"] == ctx.draft.pk for item in response.json()["results"])

    def to_sign(path):
        """The agreement's page, with `next` the gated page (quoted as a query value)."""
        return lambda ctx: re.escape(f"/agreements/{an_agreement(ctx).pk}/?next={quote(path(ctx), safe='')}")

    members = frozenset({"contributor", "reviewer", "manager", "admin"})
    E = m.Expect  # noqa: N806
    # fmt: off
    return [
        #       URL name                       method        anon out  con  rev  man  adm
        m.page("board-agreements",            "GET",  E(302, 404, 200, 200, 200, 200), kwargs=gated_board_slug),
        m.page("agreement-detail",            "GET",  E(302, 404, 200, 200, 200, 200), kwargs=agreement_pk),
        m.page("agreement-accept",            "POST", E(302, 404, 302, 302, 302, 302), kwargs=agreement_pk,
               data=signature, redirect=m.to("agreement-detail", agreement_pk)),
        # With a `next` of this site, signing leads back there (an outside one is dropped: test_agreement_gate).
        m.page("agreement-accept",            "POST", E(302, 404, 302, 302, 302, 302), kwargs=agreement_pk,
               variant="next", data=lambda ctx: {**signature(ctx), "next": "/boards/launch/"},
               redirect=lambda ctx: re.escape("/boards/launch/")),
        m.page("agreement-accept",            "GET",  E(302, 405, 405, 405, 405, 405), kwargs=agreement_pk),
        m.page("agreement-document",          "GET",  E(302, 404, 200, 200, 200, 200), kwargs=agreement_pk),
        m.page("agreement-acceptances",       "GET",  E(302, 404, 403, 403, 200, 200), kwargs=agreement_pk),
        m.page("agreement-acceptances-csv",   "GET",  E(302, 404, 403, 403, 200, 200), kwargs=agreement_pk),
        # A signer's copy is theirs (and the site admins'); for anyone else it does not exist.
        m.page("acceptance-copy",             "GET",  E(302, 404, 200, 404, 404, 200),
               kwargs=contributors_acceptance),
        # The gate: with the agreement unsigned, a board page leads to the agreement (and back once signed),
        # lists leave the board's drafts out; a form sent anyway is refused by draft_create (403 naming the
        # agreement, as in the API), the text typed kept on the page. tests/matrix_agreement_gate.py has the rest.
        m.page("board-detail",                "GET",  E(302, 404, 302, 302, 302, 200), kwargs=gated_board_slug,
               variant="gated", redirect=to_sign(lambda ctx: reverse("board-detail", args=[ctx.personas.board.slug]))),
        m.page("draft-create",                "GET",  E(302, 404, 302, 302, 302, 200), kwargs=gated_board_slug,
               variant="gated", redirect=to_sign(lambda ctx: reverse("draft-create", args=[ctx.personas.board.slug]))),
        m.page("draft-create",                "POST", E(302, 404, 403, 403, 403, 302), kwargs=gated_board_slug,
               variant="gated", data=m.new_draft, redirect=m.any_draft),
        m.page("draft-detail",                "GET",  E(302, 404, 302, 302, 302, 200), kwargs=gated_draft_id,
               variant="gated", redirect=to_sign(lambda ctx: reverse("draft-detail", args=[ctx.draft.pk]))),
        m.api("api-agreement-list",           "GET",  E(401, 200, 200, 200, 200, 200), shows=api_lists_agreement,
              seen_by=members, kwargs=gated_no_kwargs),
        m.api("api-agreement-detail",         "GET",  E(401, 404, 200, 200, 200, 200), kwargs=agreement_pk),
        m.api("api-agreement-accept",         "POST", E(401, 404, 201, 201, 201, 201), kwargs=agreement_pk,
              data=signature),
        m.api("api-agreement-acceptances",    "GET",  E(401, 404, 403, 403, 200, 200), kwargs=agreement_pk),
        m.api("api-draft-list",               "GET",  E(401, 200, 200, 200, 200, 200), kwargs=gated_no_kwargs,
              variant="gated", shows=api_lists_draft, seen_by=frozenset({"admin"})),
        m.api("api-draft-detail",             "GET",  E(401, 404, 403, 403, 403, 200), kwargs=gated_draft_pk,
              variant="gated"),
        m.api("api-draft-list",               "POST", E(401, 400, 403, 403, 403, 201), kwargs=gated_no_kwargs,
              variant="gated", data=lambda ctx: {"board": ctx.personas.board.pk, "title": "A new idea"}),
        m.api("api-draft-transition",         "POST", E(401, 404, 403, 403, 403, 200), variant="submit.gated",
              kwargs=lambda ctx: {**gated_draft_pk(ctx), "name": "submit"}),
    ]
    # fmt: on


def board_agreement(ctx):
    """The persona board's agreement, made once per matrix run (members have not signed it)."""
    return ctx.once("agreement", lambda: make_agreement(ctx.personas.board))


def gated(kwargs):
    """A row's kwargs builder that first puts the persona board behind its agreement (the "gated" variant)."""

    def build(ctx):
        board_agreement(ctx)
        return kwargs(ctx)

    return build
