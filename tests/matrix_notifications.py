"""Permission-matrix rows for the notification centre (see tests/test_permission_matrix.py).

Notifications are a person's own: everyone signed in gets their own centre, bell and preferences; a
notification addressed to the contributor is the contributor's alone (404 for every other persona, site admins
too). The "own" variants give each persona a notification of their own, which they may open and mark. The
@mention endpoint answers whoever may see the draft; an unsigned member is sent to the agreement first.
"""

import re

from contributors.notifications.kinds import Kind
from contributors.notifications.models import Notification
from tests.matrix_agreements import make_agreement


def _notification_for(user, source: str) -> Notification:
    # Made directly (not through notify()): the matrix is about who may reach a row, not who is told.
    return Notification.objects.create(
        recipient=user, kind=Kind.SUBMITTED, title="Someone submitted a draft", url="/drafts/1/", source=source
    )


def matrix_entries(m) -> list:
    def contributors_notification(ctx) -> dict:
        n = ctx.once("n", lambda: _notification_for(ctx.personas.contributor, "matrix:contributor"))
        return {"notification_id": n.pk}

    def own_notification(ctx) -> dict:
        if ctx.user is None:
            return contributors_notification(ctx)
        n = ctx.once("own", lambda: _notification_for(ctx.user, f"matrix:{ctx.persona}"))
        return {"notification_id": n.pk}

    def api_pk(build):
        return lambda ctx: {"pk": build(ctx)["notification_id"]}

    def to_draft_page(ctx) -> str:
        return re.escape("/drafts/1/")

    def gated_draft(ctx) -> dict:
        ctx.once("agreement", lambda: make_agreement(ctx.personas.board))
        return m.draft_id(ctx)

    def shows_contributors(response, ctx) -> bool:
        return "Someone submitted a draft" in response.content.decode()

    def api_shows_contributors(response, ctx) -> bool:
        return any(row["title"] == "Someone submitted a draft" for row in response.json()["results"])

    def with_contributors(kwargs=m.no_kwargs):
        def build(ctx):
            contributors_notification(ctx)
            return kwargs(ctx)

        return build

    def preferences_form(ctx) -> dict:
        form = {f"{k.value}-delivery": "both" for k in Kind} | {f"{k.value}-timing": "now" for k in Kind}
        return form | {"digest_hour": "9", "digest_time_zone": "UTC"}

    only_contributor = frozenset({"contributor"})
    page, api, E = m.page, m.api, m.Expect  # noqa: N806
    everyone_page, everyone_api = E(302, 200, 200, 200, 200, 200), E(401, 200, 200, 200, 200, 200)
    centre = m.to("notification-centre")
    # fmt: off
    return [
        # ---- Pages --------------------------------------------------------------------------------------------
        #    URL name                      method  anon out  con  rev  man  adm
        page("notification-centre",        "GET",  everyone_page, kwargs=with_contributors(),
             shows=shows_contributors, seen_by=only_contributor),
        page("notification-centre",        "POST", E(302, 405, 405, 405, 405, 405)),
        page("notification-open",          "GET",  E(302, 404, 302, 404, 404, 404), kwargs=contributors_notification,
             redirect=to_draft_page),
        page("notification-open",          "GET",  E(302, 302, 302, 302, 302, 302), kwargs=own_notification,
             variant="own", redirect=to_draft_page),
        page("notification-read",          "POST", E(302, 404, 302, 404, 404, 404), kwargs=contributors_notification,
             redirect=centre),
        page("notification-read",          "POST", E(302, 302, 302, 302, 302, 302), kwargs=own_notification,
             variant="own", redirect=centre),
        page("notification-read",          "GET",  E(302, 405, 405, 405, 405, 405), kwargs=own_notification),
        page("notifications-read-all",     "POST", E(302, 302, 302, 302, 302, 302), redirect=centre),
        page("notifications-read-all",     "GET",  E(302, 405, 405, 405, 405, 405)),
        page("notification-bell",          "GET",  everyone_page),
        page("notification-bell-latest",   "GET",  everyone_page, kwargs=with_contributors(),
             shows=shows_contributors, seen_by=only_contributor),
        page("notification-preferences",   "GET",  everyone_page),
        page("notification-preferences",   "POST", E(302, 302, 302, 302, 302, 302), data=preferences_form,
             redirect=m.to("notification-preferences")),
        page("draft-mentions",             "GET",  E(302, 404, 200, 200, 200, 200), kwargs=m.draft_id),
        page("draft-mentions",             "GET",  E(302, 404, 404, 200, 200, 200), kwargs=m.draft_id,
             variant="others-draft", author="reviewer"),
        page("draft-mentions",             "GET",  E(302, 404, 403, 403, 403, 200), kwargs=gated_draft,
             variant="gated"),
        page("draft-mentions",             "POST", E(302, 405, 405, 405, 405, 405), kwargs=m.draft_id),

        # ---- API ----------------------------------------------------------------------------------------------
        #   URL name                          method   anon out  con  rev  man  adm
        api("api-notification-list",          "GET",   everyone_api, kwargs=with_contributors(),
            shows=api_shows_contributors, seen_by=only_contributor),
        api("api-notification-read",          "POST",  E(401, 404, 200, 404, 404, 404),
            kwargs=api_pk(contributors_notification)),
        api("api-notification-read",          "POST",  E(401, 200, 200, 200, 200, 200),
            kwargs=api_pk(own_notification), variant="own"),
        api("api-notification-read-all",      "POST",  everyone_api),
        api("api-notification-preferences",   "GET",   everyone_api),
        api("api-notification-preferences",   "PATCH", everyone_api,
            data=lambda ctx: {"kinds": [{"kind": "comment", "delivery": "in_app"}], "digest": {"hour": 7}}),
    ]
    # fmt: on
