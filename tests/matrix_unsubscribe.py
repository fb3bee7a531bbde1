"""Permission-matrix rows for the unsubscribe link: whoever holds a signed link may open and use it, signed in
or not (a mail client's one-click POST carries no session); a forged one is a 400 for everyone."""

from contributors.notifications.kinds import Kind
from contributors.notifications.mail import unsubscribe_token


def reviewers_link(ctx) -> dict:
    return {"token": unsubscribe_token(ctx.personas.reviewer, [Kind.SUBMITTED])}


def forged_link(ctx) -> dict:
    value, _signature = unsubscribe_token(ctx.personas.reviewer, [Kind.SUBMITTED]).rsplit(":", 1)
    return {"token": f"{value}:forged-signature"}


def matrix_entries(m) -> list:
    E = m.Expect  # noqa: N806
    return [
        m.page("notification-unsubscribe", "GET", E(200, 200, 200, 200, 200, 200), kwargs=reviewers_link, public=True),
        m.page("notification-unsubscribe", "POST", E(200, 200, 200, 200, 200, 200), kwargs=reviewers_link, public=True),
        m.page(
            "notification-unsubscribe", "GET", E(400, 400, 400, 400, 400, 400),
            kwargs=forged_link, public=True, variant="forged",
        ),
        m.page(
            "notification-unsubscribe", "POST", E(400, 400, 400, 400, 400, 400),
            kwargs=forged_link, public=True, variant="forged",
        ),
    ]  # fmt: skip
