from django.conf import settings
from django.db import models

from contributors.guidelines.checks import RULE_KINDS, SEVERITIES, Rule, rule_from
from contributors.models import Board


class Guideline(models.Model):
    """A board's brand guidelines and tone of voice, with the rules its drafts are checked against.

    Never edit one directly: contributors.guidelines.services writes every change and a GuidelineVersion
    with it, so the history shows who changed what and a submit can name the version it was checked under.
    """

    board = models.OneToOneField(Board, on_delete=models.CASCADE, related_name="guideline")
    brand = models.TextField(blank=True, help_text="Brand guidelines, Markdown.")
    tone = models.TextField(blank=True, help_text="Tone of voice, Markdown.")
    version = models.PositiveIntegerField(default=0, help_text="The number of the latest GuidelineVersion.")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Guidelines of {self.board} (v{self.version})"


class GuidelineRule(models.Model):
    guideline = models.ForeignKey(Guideline, on_delete=models.CASCADE, related_name="rules")
    # No choices: a new rule kind is one class in checks.py, not a migration. The services validate it.
    kind = models.CharField(max_length=40)
    severity = models.CharField(max_length=10, choices=SEVERITIES, default="error")
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.label} ({self.severity})"

    @property
    def label(self) -> str:
        return RULE_KINDS[self.kind].label if self.kind in RULE_KINDS else self.kind

    def as_rule(self) -> Rule:
        return rule_from(kind=self.kind, params=self.params, severity=self.severity, rule_id=self.pk)

    def snapshot(self) -> dict:
        return {"id": self.pk, "kind": self.kind, "severity": self.severity, "params": self.params}


class GuidelineVersion(models.Model):
    """Every state the guidelines were ever in: text and rules, who made the change and what it was."""

    guideline = models.ForeignKey(Guideline, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    brand = models.TextField(blank=True)
    tone = models.TextField(blank=True)
    rules = models.JSONField(default=list, blank=True)
    change = models.CharField(max_length=300)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["guideline", "number"], name="one_guideline_version_number")]

    def __str__(self) -> str:
        return f"v{self.number}: {self.change}"
