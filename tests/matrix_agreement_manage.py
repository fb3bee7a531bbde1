"""Permission matrix rows for managing agreements in the app: a board's managers and site admins create
them, publish new versions, see who signed and withdraw them; nobody else may. The agreement binds the
board's contributors, reviewers and managers and nobody has signed it: managing is not gated (a manager must
be able to fix an agreement nobody can sign), reading the board's content is (matrix_agreement_gate.py)."""

from django.utils import timezone

from tests.matrix_agreements import make_agreement


def matrix_entries(m) -> list:
    def agreement(ctx):
        return ctx.once("agreement", lambda: make_agreement(ctx.personas.board))

    def agreement_pk(ctx):
        return {"pk": agreement(ctx).pk}

    def with_agreement(ctx):
        agreement(ctx)
        return m.board_slug(ctx)

    def board_agreement(ctx):
        return {"slug": ctx.personas.board.slug, "pk": agreement(ctx).pk}

    def new_agreement(ctx):
        return {
            "title": "Creator contract",
            "roles": ["contributor"],
            "body": "You keep the rights to your work.",
            "effective_on": timezone.localdate().isoformat(),
        }

    def new_version(ctx):
        return {"body": "Keep the launch secret until it is public.", "effective_on": timezone.localdate().isoformat()}

    manage = m.to("board-agreements-manage", m.board_slug)
    managers = m.Expect(302, 404, 403, 403, 200, 200)
    managers_redirected = m.Expect(302, 404, 403, 403, 302, 302)
    # fmt: off
    return [
        #       URL name                     method   expect               kwargs
        m.page("board-agreements-manage",  "GET",  managers,            kwargs=m.board_slug),
        m.page("board-agreements-manage",  "GET",  managers,            kwargs=with_agreement, variant="listed"),
        m.page("board-agreement-create",   "GET",  managers,            kwargs=m.board_slug),
        m.page("board-agreement-create",   "POST", managers_redirected, kwargs=m.board_slug, data=new_agreement,
               redirect=manage),
        m.page("agreement-version-create", "GET",  managers,            kwargs=agreement_pk),
        m.page("agreement-version-create", "POST", managers_redirected, kwargs=agreement_pk, data=new_version,
               redirect=manage),
        m.page("board-agreement-withdraw", "GET",  managers,            kwargs=board_agreement),
        m.page("board-agreement-withdraw", "POST", managers_redirected, kwargs=board_agreement, redirect=manage),
    ]
    # fmt: on
