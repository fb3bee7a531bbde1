"""Permission matrix rows for briefs (see tests/test_permission_matrix.py).

Managers post, edit and close briefs; every member of the board sees them and may claim one; nothing on
a board you hold no role on exists for you (404).
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from contributors.briefs.services import brief_close, brief_create


def _brief(ctx, *, closed: bool = False):
    def make():
        brief = brief_create(
            board=ctx.personas.board,
            actor=ctx.personas.manager,
            topic="One chapter of the launch e-book",
            description="A **chapter** on what you know best.",
            channels=["linkedin"],
            deadline=timezone.now() + timedelta(days=7),
            max_claims=10,
        )
        if closed:
            brief_close(brief_id=brief.pk, actor=ctx.personas.manager)
        return brief

    return ctx.once("closed-brief" if closed else "brief", make)


def brief_id(ctx) -> dict:
    return {"brief_id": _brief(ctx).pk}


def closed_brief_id(ctx) -> dict:
    return {"brief_id": _brief(ctx, closed=True).pk}


def board_with_brief(ctx) -> dict:
    """The board's slug, once the brief a list must show exists."""
    _brief(ctx)
    return {"slug": ctx.personas.board.slug}


def with_brief(ctx) -> dict:
    _brief(ctx)
    return {}


def brief_pk(ctx) -> dict:
    return {"pk": _brief(ctx).pk}


def brief_form(ctx) -> dict:
    deadline = timezone.localtime(timezone.now() + timedelta(days=7))
    return {
        "topic": "Customer stories",
        "description": "Tell us.",
        "deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
        "max_claims": 3,
        "channels": ["linkedin"],
    }


def brief_json(ctx) -> dict:
    return {
        "board": ctx.personas.board.pk,
        "topic": "Customer stories",
        "deadline": (timezone.now() + timedelta(days=7)).isoformat(),
        "max_claims": 3,
    }


def brief_edit_json(ctx) -> dict:
    return {"topic": "Customer stories, revised", "max_claims": 5, "version": _brief(ctx).version}


def page_links_to_brief(response, ctx) -> bool:
    return f'href="{reverse("brief-detail", args=[_brief(ctx).pk])}"' in response.content.decode()


def api_lists_brief(response, ctx) -> bool:
    return any(item["id"] == _brief(ctx).pk for item in response.json()["results"])


def any_brief(ctx) -> str:
    return r"/briefs/\d+/"


def matrix_entries(m) -> list:
    page, api, Expect, to = m.page, m.api, m.Expect, m.to  # noqa: N806
    # fmt: off
    return [
        #     URL name          method        anon out  con  rev  man  adm
        page("brief-list",   "GET",  Expect(302, 404, 200, 200, 200, 200), kwargs=board_with_brief,
             shows=page_links_to_brief, seen_by=m.MEMBERS),
        page("brief-create", "GET",  Expect(302, 404, 403, 403, 200, 200), kwargs=m.board_slug),
        page("brief-create", "POST", Expect(302, 404, 403, 403, 302, 302), kwargs=m.board_slug, data=brief_form,
             redirect=any_brief),
        page("brief-detail", "GET",  Expect(302, 404, 200, 200, 200, 200), kwargs=brief_id),
        page("brief-edit",   "GET",  Expect(302, 404, 403, 403, 200, 200), kwargs=brief_id),
        page("brief-edit",   "POST", Expect(302, 404, 403, 403, 302, 302), kwargs=brief_id, data=brief_form,
             redirect=to("brief-detail", brief_id)),
        page("brief-close",  "GET",  Expect(302, 405, 405, 405, 405, 405), kwargs=brief_id),
        page("brief-close",  "POST", Expect(302, 404, 403, 403, 302, 302), kwargs=brief_id,
             redirect=to("brief-detail", brief_id)),
        page("brief-claim",  "GET",  Expect(302, 405, 405, 405, 405, 405), kwargs=brief_id),
        # Every role writes for the board, so every member may claim (reviewers and managers too).
        page("brief-claim",  "POST", Expect(302, 404, 302, 302, 302, 302), kwargs=brief_id, redirect=m.any_draft),
        # A closed brief: the refusal is about the brief (409), never a hint to an outsider (404).
        page("brief-claim",  "POST", Expect(302, 404, 409, 409, 409, 409), kwargs=closed_brief_id,
             variant="closed"),

        #    URL name             method         anon out  con  rev  man  adm
        api("api-brief-list",   "GET",   Expect(401, 200, 200, 200, 200, 200), kwargs=with_brief, shows=api_lists_brief,
            seen_by=m.MEMBERS),
        # The board is named in the body: one you cannot see is "no such board" (400).
        api("api-brief-list",   "POST",  Expect(401, 400, 403, 403, 201, 201), data=brief_json),
        api("api-brief-detail", "GET",   Expect(401, 404, 200, 200, 200, 200), kwargs=brief_pk),
        api("api-brief-detail", "PATCH", Expect(401, 404, 403, 403, 200, 200), kwargs=brief_pk, data=brief_edit_json),
        api("api-brief-detail", "PUT",   Expect(401, 404, 403, 403, 200, 200), kwargs=brief_pk, data=brief_edit_json),
        api("api-brief-close",  "POST",  Expect(401, 404, 403, 403, 200, 200), kwargs=brief_pk),
        api("api-brief-claim",  "POST",  Expect(401, 404, 201, 201, 201, 201), kwargs=brief_pk),
        api("api-brief-claim",  "POST",  Expect(401, 404, 409, 409, 409, 409), kwargs=lambda ctx: {
            "pk": _brief(ctx, closed=True).pk}, variant="closed"),
    ]
    # fmt: on
