"""Board roles and the guardian object permissions each one holds.

Each role includes the one before it. A role is never stored on its own: it is exactly the set of
object permissions a user holds on the board, so guardian stays the single source of truth.
"""

from django.db import models


class Role(models.TextChoices):
    CONTRIBUTOR = "contributor", "Contributor"
    REVIEWER = "reviewer", "Reviewer"
    MANAGER = "manager", "Manager"


SITE_ADMIN = "admin"

VIEW = "view_board"
CONTRIBUTE = "contribute_board"
REVIEW = "review_board"
MANAGE = "manage_board"

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.CONTRIBUTOR: (VIEW, CONTRIBUTE),
    Role.REVIEWER: (VIEW, CONTRIBUTE, REVIEW),
    Role.MANAGER: (VIEW, CONTRIBUTE, REVIEW, MANAGE),
}
ALL_BOARD_PERMISSIONS = ROLE_PERMISSIONS[Role.MANAGER]
ROLE_ORDER = [Role.CONTRIBUTOR, Role.REVIEWER, Role.MANAGER]


def role_from_permissions(codenames: set[str]) -> str | None:
    """The highest role whose permissions are all held, or None."""
    for role in reversed(ROLE_ORDER):
        if set(ROLE_PERMISSIONS[role]) <= codenames:
            return role.value
    return None
