"""Permission matrix rows for guidelines: members read them and run checks, managers (and admins) change them."""

from contributors.guidelines.models import Guideline
from contributors.guidelines.services import guideline_rule_create


def matrix_entries(m) -> list:
    def a_rule(ctx):
        return ctx.once(
            "rule",
            lambda: guideline_rule_create(
                board=ctx.personas.board,
                actor=ctx.personas.admin,
                kind="banned_phrase",
                severity="error",
                params={"phrase": "synergy", "replacement": "teamwork"},
            ),
        )

    def page_rule(ctx):
        return {"slug": ctx.personas.board.slug, "rule_id": a_rule(ctx).pk}

    def api_rule(ctx):
        return {"pk": ctx.personas.board.pk, "rule_id": a_rule(ctx).pk}

    def guideline_form(ctx):
        return {"brand": "Say **planner** in lower case.", "tone": "Warm and direct."}

    def guideline_json(ctx):
        version = Guideline.objects.filter(board=ctx.personas.board).values_list("version", flat=True).first()
        return {**guideline_form(ctx), "version": version or 0}

    def rule_form(ctx):
        return {"kind": "required_hashtag", "severity": "warning", "hashtag": "#launch"}

    def rule_edit_form(ctx):
        return {"severity": "warning", "phrase": "synergy", "replacement": "working together"}

    def rule_json(ctx):
        return {"kind": "required_hashtag", "severity": "warning", "params": {"hashtag": "#launch"}}

    def check_form(ctx):
        return {"title": "A title", "body": "Pure synergy.", "variant_x": "Short."}

    def check_json(ctx):
        return {"title": "A title", "body": "Pure synergy.", "variants": {"x": "Short."}}

    def api_lists_board(response, ctx):
        return any(item["id"] == ctx.personas.board.pk for item in response.json()["results"])

    guidelines = m.to("guidelines", m.board_slug)
    members = frozenset({"contributor", "reviewer", "manager", "admin"})
    E = m.Expect  # noqa: N806
    # fmt: off
    return [
        #       URL name                   method          anon out  con  rev  man  adm
        m.page("guidelines",              "GET",  E(302, 404, 200, 200, 200, 200), kwargs=m.board_slug),
        m.page("guidelines-edit",         "GET",  E(302, 404, 403, 403, 200, 200), kwargs=m.board_slug),
        m.page("guidelines-edit",         "POST", E(302, 404, 403, 403, 302, 302), kwargs=m.board_slug,
               data=guideline_form, redirect=guidelines),
        m.page("guidelines-check",        "POST", E(302, 404, 200, 200, 200, 200), kwargs=m.board_slug,
               data=check_form),
        m.page("guidelines-check",        "GET",  E(302, 405, 405, 405, 405, 405), kwargs=m.board_slug),
        m.page("guidelines-rule-create",  "POST", E(302, 404, 403, 403, 302, 302), kwargs=m.board_slug,
               data=rule_form, redirect=lambda ctx: guidelines(ctx) + "#rules-required_hashtag"),
        m.page("guidelines-rule-delete",  "GET",  E(302, 404, 403, 403, 200, 200), kwargs=page_rule),
        m.page("guidelines-rule-delete",  "POST", E(302, 404, 403, 403, 302, 302), kwargs=page_rule,
               redirect=lambda ctx: guidelines(ctx) + "#rules-banned_phrase"),
        m.page("guidelines-rule-edit",    "GET",  E(302, 404, 403, 403, 200, 200), kwargs=page_rule),
        m.page("guidelines-rule-edit",    "POST", E(302, 404, 403, 403, 302, 302), kwargs=page_rule,
               data=rule_edit_form, redirect=lambda ctx: guidelines(ctx) + "#rules-banned_phrase"),
        m.api("api-guideline-list",       "GET",    E(401, 200, 200, 200, 200, 200), shows=api_lists_board,
              seen_by=members),
        m.api("api-guideline-detail",     "GET",    E(401, 404, 200, 200, 200, 200), kwargs=m.board_pk),
        m.api("api-guideline-detail",     "PATCH",  E(401, 404, 403, 403, 200, 200), kwargs=m.board_pk,
              data=guideline_json),
        m.api("api-guideline-check",      "POST",   E(401, 404, 200, 200, 200, 200), kwargs=m.board_pk,
              data=check_json),
        m.api("api-guideline-versions",   "GET",    E(401, 404, 200, 200, 200, 200), kwargs=m.board_pk),
        m.api("api-guideline-rules",      "GET",    E(401, 404, 200, 200, 200, 200), kwargs=m.board_pk),
        m.api("api-guideline-rules",      "POST",   E(401, 404, 403, 403, 201, 201), kwargs=m.board_pk,
              data=rule_json),
        m.api("api-guideline-rule",       "PATCH",  E(401, 404, 403, 403, 200, 200), kwargs=api_rule,
              data=lambda ctx: {"severity": "warning"}),
        m.api("api-guideline-rule",       "DELETE", E(401, 404, 403, 403, 204, 204), kwargs=api_rule),
    ]
    # fmt: on
