"""Permission matrix rows for invitations: managers (and admins) invite, resend and revoke; anyone with
the link may open it, and only the invited address may accept (a newcomer creates its account on the way)."""

from contributors.invitations import services
from contributors.invitations.selectors import invitation_token

NEWCOMER = {"name": "Gina Guest", "password": "a-long-unusual-passphrase-42"}


def invitation(ctx):
    return ctx.once(
        "invitation",
        lambda: services.invitation_create(
            board=ctx.personas.board,
            email="guest@example.com",
            role="contributor",
            inviter=ctx.personas.manager,
            site_url="http://testserver/",
        ),
    )


def invitation_to_outsider(ctx):
    return ctx.once(
        "invitation-to-outsider",
        lambda: services.invitation_create(
            board=ctx.personas.board,
            email=ctx.personas.outsider.email,
            role="contributor",
            inviter=ctx.personas.manager,
            site_url="http://testserver/",
        ),
    )


def outsiders_link(ctx) -> dict:
    return {"token": invitation_token(invitation_to_outsider(ctx))}


def outsiders_accept_json(ctx) -> dict:
    body = {"token": invitation_token(invitation_to_outsider(ctx))}
    return {**body, **NEWCOMER} if ctx.user is None else body


def board_and_invitation(ctx) -> dict:
    return {"slug": ctx.personas.board.slug, "pk": invitation(ctx).pk}


def invitation_pk(ctx) -> dict:
    return {"pk": invitation(ctx).pk}


def invitation_link(ctx) -> dict:
    return {"token": invitation_token(invitation(ctx))}


def existing_invitation(ctx) -> dict:
    invitation(ctx)
    return {}


def accept_form(ctx) -> dict:
    return dict(NEWCOMER) if ctx.user is None else {}


def accept_json(ctx) -> dict:
    body = {"token": invitation_token(invitation(ctx))}
    return {**body, **NEWCOMER} if ctx.user is None else body


def new_invitation_form(ctx) -> dict:
    return {"email": "new.person@example.com", "role": "contributor", "message": "Join us!"}


def new_invitation_json(ctx) -> dict:
    return {"board": ctx.personas.board.pk, "email": "new.person@example.com", "role": "reviewer"}


def api_lists_invitation(response, ctx) -> bool:
    return any(item["id"] == invitation(ctx).pk for item in response.json()["results"])


def matrix_entries(m) -> list:
    E = m.Expect  # noqa: N806
    to_list = m.to("invitation-list", m.board_slug)
    to_board = m.to("board-detail", m.board_slug)
    managers = frozenset({"manager", "admin"})
    # fmt: off
    return [
        #       URL name               method      anon out  con  rev  man  adm
        m.page("invitation-list",     "GET",  E(302, 404, 403, 403, 200, 200), kwargs=m.board_slug),
        m.page("invitation-list",     "POST", E(302, 404, 403, 403, 302, 302), kwargs=m.board_slug,
               data=new_invitation_form, redirect=to_list),
        m.page("invitation-resend",   "GET",  E(302, 405, 405, 405, 405, 405), kwargs=board_and_invitation),
        m.page("invitation-resend",   "POST", E(302, 404, 403, 403, 302, 302), kwargs=board_and_invitation,
               redirect=to_list),
        m.page("invitation-revoke",   "GET",  E(302, 405, 405, 405, 405, 405), kwargs=board_and_invitation),
        m.page("invitation-revoke",   "POST", E(302, 404, 403, 403, 302, 302), kwargs=board_and_invitation,
               redirect=to_list),
        # Anyone holding the link may open it, but only the invited person joins: a newcomer creates the
        # account of the invited address (its confirmation page, 200); a signed-in person whose account has
        # another address is told whom it was sent to (GET 200, POST 403) and nothing changes.
        m.page("invitation-accept",   "GET",  E(200, 200, 200, 200, 200, 200), kwargs=invitation_link),
        m.page("invitation-accept",   "POST", E(200, 403, 403, 403, 403, 403), kwargs=invitation_link,
               data=accept_form),
        # Sent to the outsider's address: the outsider joins; anyone else signed in is refused, and a
        # newcomer cannot create a second account for an address that has one.
        m.page("invitation-accept",   "POST", E(400, 302, 403, 403, 403, 403), kwargs=outsiders_link,
               data=accept_form, redirect=to_board, variant="to-outsider"),
        m.api("api-invitation-list",   "GET",  E(401, 200, 200, 200, 200, 200), kwargs=existing_invitation,
              shows=api_lists_invitation, seen_by=managers),
        m.api("api-invitation-list",   "POST", E(401, 404, 403, 403, 201, 201), data=new_invitation_json),
        m.api("api-invitation-detail", "GET",  E(401, 404, 403, 403, 200, 200), kwargs=invitation_pk),
        m.api("api-invitation-resend", "POST", E(401, 404, 403, 403, 200, 200), kwargs=invitation_pk),
        m.api("api-invitation-revoke", "POST", E(401, 404, 403, 403, 200, 200), kwargs=invitation_pk),
        m.api("api-invitation-accept", "POST", E(201, 403, 403, 403, 403, 403), data=accept_json),
        m.api("api-invitation-accept", "POST", E(400, 200, 403, 403, 403, 403), data=outsiders_accept_json,
              variant="to-outsider"),
    ]
    # fmt: on
