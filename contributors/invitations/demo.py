"""Demo invitations on Launch: one accepted (Alice joined that way) and one still pending."""

import secrets

from django.db import transaction
from django.utils import timezone

from contributors.invitations import services
from contributors.invitations.models import Invitation, InvitationStatus
from contributors.models import Board, User

DEMO_SITE_URL = "http://127.0.0.1:8000/"


@transaction.atomic
def load_demo(*, boards: dict[str, Board], users: dict[str, User]) -> None:
    """Idempotent: an invitation is made only when the board has none for that address yet."""
    launch, manager = boards["launch"], users["manager"]
    alice = users["alice"]
    if not Invitation.objects.filter(board=launch, email=alice.email).exists():
        # Alice's role was granted with the demo users; this records how she came to hold it.
        now = timezone.now()
        Invitation.objects.create(
            board=launch,
            email=alice.email,
            role="contributor",
            inviter=manager,
            message="Would love your expert take on the launch posts.",
            status=InvitationStatus.ACCEPTED,
            nonce=secrets.token_urlsafe(24),
            expires_at=now + services.expiry_delta(),
            accepted_at=now,
            accepted_by=alice,
        )
    if not Invitation.objects.filter(board=launch, email="dana.newcomer@example.com").exists():
        services.invitation_create(
            board=launch,
            email="dana.newcomer@example.com",
            role="contributor",
            inviter=manager,
            message="Hi Dana, we'd love a customer story from you.",
            site_url=DEMO_SITE_URL,
        )
