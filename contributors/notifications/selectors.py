"""Reads for notifications."""

from dataclasses import dataclass

from contributors.notifications.kinds import DEFAULTS, Kind
from contributors.notifications.models import Notification, NotificationPreference


@dataclass(frozen=True)
class Choice:
    kind: str
    delivery: str
    timing: str
    is_default: bool


def preferences_for(user_ids: list[int], kind: str) -> dict[int, Choice]:
    """Each person's choice for `kind` (their own, else the default), in one query for all of them."""
    default = DEFAULTS[kind]
    chosen = {
        user_id: Choice(kind, delivery, timing, False)
        for user_id, delivery, timing in NotificationPreference.objects.filter(
            user_id__in=user_ids, kind=kind
        ).values_list("user_id", "delivery", "timing")
    }
    return {pk: chosen.get(pk) or Choice(kind, default.delivery, default.timing, True) for pk in user_ids}


def preferences_table(user) -> list[Choice]:
    """Every kind with the person's choice for it, in the order the kinds are declared."""
    chosen = {
        kind: (delivery, timing)
        for kind, delivery, timing in NotificationPreference.objects.filter(user=user).values_list(
            "kind", "delivery", "timing"
        )
    }
    table = []
    for kind in Kind:
        if kind in chosen:
            table.append(Choice(kind, *chosen[kind], False))
        else:
            table.append(Choice(kind, DEFAULTS[kind].delivery, DEFAULTS[kind].timing, True))
    return table


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, in_app=True, read_at=None).count()
