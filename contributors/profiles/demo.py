"""Demo data for profiles: alice introduces herself and shows her published Launch piece publicly."""

from contributors.models import Board, User
from contributors.profiles.services import profile_update

ALICE_BIO = "Product marketer and planner power user. I write about launches, teams and getting Mondays done."
ALICE_LINKS = ["https://example.com/alice", "https://www.linkedin.com/in/alice-expert-demo"]


def load_demo(*, boards: dict[str, Board], users: dict[str, User]) -> None:
    """Idempotent: brings alice's profile to the wanted state every time. Every demo board allows portfolios
    (the default), so her published Launch draft appears at /people/alice/."""
    alice = users["alice"]
    profile_update(user=alice, actor=alice, bio=ALICE_BIO, links=ALICE_LINKS, portfolio_public=True)
