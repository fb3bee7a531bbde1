"""Agreements (NDAs, contracts), their versions, which boards and roles require them, and acceptances.

An Agreement is the document over time; each AgreementVersion is one immutable text (Markdown or a PDF)
with its SHA-256. The version in force is the newest one whose effective date has come, so publishing a
new version makes everybody accept again. Acceptances are evidence: they are never changed or deleted.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from contributors.models import Board
from contributors.roles import Role


class Agreement(models.Model):
    title = models.CharField(max_length=200)
    ends_on = models.DateField(
        null=True,
        blank=True,
        help_text="For contracts that run out: from this day on, access ends as if it had never been signed.",
    )
    # The end date a reminder was sent for: the beat task claims a reminder by setting it, so it goes once
    # per end date (and again if the end date is moved).
    reminder_sent_for = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class AgreementVersion(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    body = models.TextField(blank=True, help_text="Markdown. Leave empty when you upload a PDF.")
    pdf = models.FileField(upload_to="agreements/", blank=True, help_text="The document as a PDF, instead of a body.")
    sha256 = models.CharField(max_length=64, editable=False)
    effective_on = models.DateField(help_text="The day this version replaces the previous one for everybody.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "-number"]
        constraints = [models.UniqueConstraint(fields=["agreement", "number"], name="one_agreement_version_number")]

    def __str__(self) -> str:
        return f"{self.agreement} (version {self.number})"

    @property
    def is_pdf(self) -> bool:
        return bool(self.pdf)


class AgreementRequirement(models.Model):
    """Users holding `role` on `board` must accept `agreement` before they see or submit anything there."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="requirements")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="agreement_requirements")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["board", "role"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "board", "role"], name="one_requirement_per_board_role")
        ]

    def __str__(self) -> str:
        return f"{self.agreement} for {self.role}s on {self.board}"


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError("Acceptances are a record of what was signed: they cannot be changed.")

    def delete(self):
        raise ValidationError("Acceptances are a record of what was signed: they cannot be deleted.")


class Acceptance(models.Model):
    """One user's signature under one exact agreement version. Written once, never changed or deleted."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="acceptances")
    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="acceptances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="acceptances")
    version_number = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    signature = models.CharField(max_length=200, help_text="The full name the user typed as their signature.")
    accepted_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["-accepted_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="one_acceptance_per_version")]

    def __str__(self) -> str:
        return f"{self.signature} accepted {self.agreement} v{self.version_number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("Acceptances are a record of what was signed: they cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Acceptances are a record of what was signed: they cannot be deleted.")
