"""Permission-matrix rows for profiles and portfolios (see tests/test_permission_matrix.py).

The portfolio is public: everyone, signed in or not, gets the same answer (200 when the contributor opted
in, 404 otherwise), and the published target draft appears there unless its board opted out.
"""

from contributors.profiles.services import board_portfolio_policy_set, profile_update


def matrix_entries(m) -> list:
    everyone = frozenset(m.PERSONA_NAMES)

    def contributor_username(ctx) -> dict:
        return {"username": ctx.personas.contributor.username}

    def opted_in(ctx) -> dict:
        contributor = ctx.personas.contributor
        ctx.once("opt-in", lambda: profile_update(user=contributor, actor=contributor, portfolio_public=True))
        return contributor_username(ctx)

    def opted_in_on_opted_out_board(ctx) -> dict:
        ctx.once(
            "board-opt-out",
            lambda: board_portfolio_policy_set(board=ctx.personas.board, actor=None, allow_portfolios=False),
        )
        return opted_in(ctx)

    def profile_form(ctx) -> dict:
        return {"display_name": "New Name", "bio": "About me.", "links": "https://example.com/me"}

    def profile_json(ctx) -> dict:
        return {"bio": "About me.", "links": ["https://example.com/me"]}

    def page_shows_draft(response, ctx) -> bool:
        return ctx.draft.title in response.content.decode()

    def api_shows_draft(response, ctx) -> bool:
        return any(piece["id"] == ctx.draft.pk for piece in response.json()["pieces"])

    page, api, Expect = m.page, m.api, m.Expect  # noqa: N806
    # fmt: off
    return [
        # ---- Pages -----------------------------------------------------------------------------------------
        #     URL name                  method        anon out  con  rev  man  adm
        page("profile-edit",            "GET",  Expect(302, 200, 200, 200, 200, 200)),
        page("profile-edit",            "POST", Expect(302, 302, 302, 302, 302, 302), data=profile_form,
             redirect=m.to("profile-edit")),
        page("portfolio",               "GET",  Expect(200, 200, 200, 200, 200, 200), kwargs=opted_in,
             state="published", shows=page_shows_draft, seen_by=everyone),
        page("portfolio",               "GET",  Expect(404, 404, 404, 404, 404, 404), kwargs=contributor_username,
             variant="not-opted-in", state="published"),
        page("portfolio",               "GET",  Expect(200, 200, 200, 200, 200, 200),
             kwargs=opted_in_on_opted_out_board, variant="board-opted-out", state="published",
             shows=page_shows_draft, seen_by=frozenset()),
        page("portfolio",               "POST", Expect(405, 405, 405, 405, 405, 405), kwargs=opted_in),
        # No picture uploaded: 404 for all. Serving an uploaded picture (public with the portfolio, else only to
        # its owner and site admins) is tested in test_profiles.py, which gives uploads a temporary MEDIA_ROOT.
        page("profile-avatar",          "GET",  Expect(404, 404, 404, 404, 404, 404), kwargs=opted_in),
        page("board-portfolio-policy",  "GET",  Expect(302, 404, 403, 403, 200, 200), kwargs=m.board_slug),
        page("board-portfolio-policy",  "POST", Expect(302, 404, 403, 403, 302, 302), kwargs=m.board_slug,
             data=lambda ctx: {"allow_portfolios": "on"}, redirect=m.to("board-portfolio-policy", m.board_slug)),

        # ---- API -------------------------------------------------------------------------------------------
        #    URL name                      method         anon out  con  rev  man  adm
        api("api-profile",                 "GET",   Expect(401, 200, 200, 200, 200, 200)),
        api("api-profile",                 "PATCH", Expect(401, 200, 200, 200, 200, 200), data=profile_json),
        api("api-portfolio",               "GET",   Expect(200, 200, 200, 200, 200, 200), kwargs=opted_in,
            state="published", shows=api_shows_draft, seen_by=everyone),
        api("api-portfolio",               "GET",   Expect(404, 404, 404, 404, 404, 404),
            kwargs=contributor_username, variant="not-opted-in", state="published"),
        api("api-portfolio",               "GET",   Expect(200, 200, 200, 200, 200, 200),
            kwargs=opted_in_on_opted_out_board, variant="board-opted-out", state="published",
            shows=api_shows_draft, seen_by=frozenset()),
        api("api-board-portfolio-policy",  "GET",   Expect(401, 404, 200, 200, 200, 200), kwargs=m.board_pk),
        api("api-board-portfolio-policy",  "PATCH", Expect(401, 404, 403, 403, 200, 200), kwargs=m.board_pk,
            data=lambda ctx: {"allow_portfolios": False}),
    ]
    # fmt: on
