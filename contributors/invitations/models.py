from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from contributors.models import Board
from contributors.roles import Role


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REVOKED = "revoked", "Revoked"


class Invitation(models.Model):
    """An e-mailed offer of a role on a board. The link is signed over `nonce`; resending rotates it.

    "Expired" is not stored: it is a pending invitation whose `expires_at` has passed (resending renews it).
    """

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices)
    message = models.TextField(blank=True)
    inviter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING)
    nonce = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    # The nonce whose link was last e-mailed: a redelivered send task finds it already claimed.
    sent_nonce = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveIntegerField(default=0)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open invitation per address and board: inviting again refreshes it.
            models.UniqueConstraint(
                fields=["board", "email"], condition=Q(status="pending"), name="invitation_one_pending_per_email"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.board} as {self.role}"

    @property
    def is_expired(self) -> bool:
        return self.status == InvitationStatus.PENDING and self.expires_at <= timezone.now()

    @property
    def display_status(self) -> str:
        return "expired" if self.is_expired else self.status
