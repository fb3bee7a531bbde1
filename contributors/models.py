import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from contributors.roles import Role


class User(AbstractUser):
    """Our own user model from day one, so profiles can grow without a painful swap later."""

    display_name = models.CharField(max_length=150, blank=True)

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone (for example Europe/Copenhagen).")


class Board(models.Model):
    """A space for one brand, campaign or publication; every permission is granted per board."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    required_approvals = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="How many distinct reviewers must approve a draft before it leaves review.",
    )
    review_due_hours = models.PositiveSmallIntegerField(
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 30)],
        help_text="How long a draft may wait in review before it is overdue: its reviewers are reminded then, "
        "and its managers after as long again.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        # The board list (page and API) is read a page at a time in (name, id) order (cocreate.keyset).
        indexes = [models.Index(fields=["name", "id"], name="board_list")]
        permissions = [
            ("contribute_board", "Can write drafts on the board"),
            ("review_board", "Can review every draft on the board"),
            ("manage_board", "Can schedule drafts and manage the board"),
        ]

    def __str__(self) -> str:
        return self.name


class BoardUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Board, on_delete=models.CASCADE)


class BoardGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Board, on_delete=models.CASCADE)


class RoleChange(models.Model):
    """Audit row for every grant and revoke of a board role."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="role_changes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_changes")
    previous_role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    new_role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} on {self.board}: {self.previous_role or '-'} -> {self.new_role or '-'}"
