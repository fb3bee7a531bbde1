"""The agreement gate: which boards a user may not work on yet because an agreement is unsigned.

Every feature that shows board content (drafts, guidelines, briefs) asks this module, in pages and API
alike. A board is gated for a user while an agreement their role there requires is not accepted in the
version in force, or has run out (its end date has come). Site admins are never gated; with no agreement
configured nothing is gated, for one query.

A refusal is an AgreementRequired (a PermissionDenied, so every interface answers 403 by default) that
knows where to sign: pages send the person there (contributors.agreements.middleware), the API names the
agreement's address in its JSON 403 (cocreate.api.exception_handler).
"""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from contributors.agreements.selectors import Obligation, outstanding_for_user


class AgreementRequired(PermissionDenied):
    """The gate keeps `board` from the user until the `outstanding` agreements are signed."""

    def __init__(self, message: str, *, board, outstanding: list[Obligation]) -> None:
        super().__init__(message)
        self.board = board
        self.outstanding = outstanding

    @property
    def sign_url(self) -> str:
        """The page to sign on: the agreement itself when one is missing, else the board's list of them."""
        return sign_url(self.board, self.outstanding)


def sign_url(board, outstanding: list[Obligation]) -> str:
    if len(outstanding) == 1:
        return reverse("agreement-detail", args=[outstanding[0].agreement.pk])
    return reverse("board-agreements", args=[board.slug])


def gated_board_ids(user, *, viewable_board_ids: set[int] | None = None) -> set[int]:
    """Ids of the boards where `user` still has to accept an agreement their role requires.
    `viewable_board_ids`: the boards the user holds view_board on, when the caller has already read them."""
    return {o.board_id for o in outstanding_for_user(user, viewable_board_ids=viewable_board_ids)}


def is_gated(user, board) -> bool:
    return bool(outstanding_for_user(user, board_id=board.pk))


def _message(board, outstanding: list[Obligation], action: str) -> str:
    names = ", ".join(o.describe() for o in outstanding)
    if all(o.expired for o in outstanding):
        return f"Your access to {board.name} has ended: {names}. Ask the board's managers for a renewal."
    return f"Accept {names} before you {action} {board.name}."


def refusal_message(user, board, *, action: str = "work on") -> str | None:
    """Why the user may not work on the board yet, naming the agreements; None when they may."""
    outstanding = outstanding_for_user(user, board_id=board.pk)
    return _message(board, outstanding, action) if outstanding else None


def require_access(user, board, *, action: str = "work on") -> None:
    """AgreementRequired naming the agreements, for a user the gate keeps off the board."""
    outstanding = outstanding_for_user(user, board_id=board.pk)
    if outstanding:
        raise AgreementRequired(_message(board, outstanding, action), board=board, outstanding=outstanding)
