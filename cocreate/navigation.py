"""What the app bar shows on every page: the boards the user works on (with their role) and the user menu.

Evaluated lazily, only when base.html reads it, so pages rendered without base.html (htmx fragments, JSON)
pay nothing; a full page pays a fixed two queries whatever the number of boards (the bell's count rides on
the account's query).
"""

from functools import cached_property

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef
from django.utils import timezone
from knox.models import AuthToken

from contributors.models import User
from contributors.notifications.selectors import BELL_COUNT_CAP, unread_count_subquery
from contributors.selectors import BoardRole, board_roles_for_user

# The switcher lists this many boards; the board list page has them all.
SWITCHER_LIMIT = 12


class Navigation:
    def __init__(self, request):
        # A request that never went through the auth middleware (a bare RequestFactory one) shows nobody.
        self.user = getattr(request, "user", None) or AnonymousUser()

    @cached_property
    def _board_rows(self) -> list[BoardRole]:
        return board_roles_for_user(self.user, limit=SWITCHER_LIMIT + 1)

    @property
    def boards(self) -> list[BoardRole]:
        """The switcher's boards (pk, name, slug, role) by name; at most SWITCHER_LIMIT of them."""
        return self._board_rows[:SWITCHER_LIMIT]

    @property
    def reviews(self) -> bool:
        """Whether the menu offers the review queue: the user reviews or manages one of the listed boards."""
        return any(row.role in ("reviewer", "manager", "admin") for row in self._board_rows)

    @property
    def more_boards(self) -> bool:
        return len(self._board_rows) > SWITCHER_LIMIT

    @cached_property
    def _account(self) -> dict:
        """The avatar, whether the user holds a live API token and the bell's unread count, in one query."""
        if not self.user.is_authenticated:
            return {}
        live_tokens = AuthToken.objects.filter(user=OuterRef("pk"), expiry__gt=timezone.now())
        row = (
            User.objects.filter(pk=self.user.pk)
            .annotate(has_tokens=Exists(live_tokens), unread=unread_count_subquery(OuterRef("pk")))
            .values("has_tokens", "profile__avatar", "profile__updated_at", "unread")
            .first()
        )
        return row or {}

    @property
    def has_tokens(self) -> bool:
        return bool(self._account.get("has_tokens"))

    @property
    def shows_api(self) -> bool:
        """API tokens and docs are in the menu for people who use the API (hold a token) and for staff."""
        return self.user.is_authenticated and (self.user.is_staff or self.has_tokens)

    @property
    def unread(self) -> int:
        """Unread notifications, for the bell (refreshed by htmx from notification-bell without a reload)."""
        return min(self._account.get("unread") or 0, BELL_COUNT_CAP)

    @property
    def has_avatar(self) -> bool:
        return bool(self._account.get("profile__avatar"))

    @property
    def avatar_version(self) -> str:
        updated = self._account.get("profile__updated_at")
        return str(int(updated.timestamp())) if updated else ""


def navigation(request) -> dict:
    return {"nav": Navigation(request)}
