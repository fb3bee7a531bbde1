"""The agreement gate: which boards a user may not work on yet because an agreement is unsigned.

Every feature that shows board content (drafts, guidelines, briefs) asks this module, in pages and API
alike. Until agreements exist nothing is gated.
"""


def gated_board_ids(user) -> set[int]:
    """Ids of the boards where `user` still has to accept an agreement their role requires."""
    return set()


def is_gated(user, board) -> bool:
    return board.pk in gated_board_ids(user)
