"""The agreement gate: which boards a user may not work on yet because an agreement is unsigned.

Every feature that shows board content (drafts, guidelines, briefs) asks this module, in pages and API
alike. A board is gated for a user while an agreement their role there requires is not accepted in the
version in force, or has run out (its end date has come). Site admins are never gated; with no agreement
configured nothing is gated, for one query.
"""

from django.core.exceptions import PermissionDenied

from contributors.agreements.selectors import outstanding_for_user


def gated_board_ids(user) -> set[int]:
    """Ids of the boards where `user` still has to accept an agreement their role requires."""
    return {obligation.board_id for obligation in outstanding_for_user(user)}


def is_gated(user, board) -> bool:
    return bool(outstanding_for_user(user, board_id=board.pk))


def refusal_message(user, board, *, action: str = "work on") -> str | None:
    """Why the user may not work on the board yet, naming the agreements; None when they may."""
    outstanding = outstanding_for_user(user, board_id=board.pk)
    if not outstanding:
        return None
    names = ", ".join(o.describe() for o in outstanding)
    if all(o.expired for o in outstanding):
        return f"Your access to {board.name} has ended: {names}. Ask the board's managers for a renewal."
    return f"Accept {names} before you {action} {board.name}."


def require_access(user, board) -> None:
    """PermissionDenied naming the agreements, for a user the gate keeps off the board."""
    message = refusal_message(user, board)
    if message is not None:
        raise PermissionDenied(message)
