"""The pre-flight check: some minutes before a publication is due, are its channel's credentials still
good and its content still acceptable? Problems are e-mailed to the board's managers."""

import zoneinfo
from datetime import timedelta

from django.core.mail import send_mail
from django.utils import timezone

from contributors.selectors import board_members
from publishing.adapters import AdapterError, NoAdapter
from publishing.models import Channel, Publication, PublicationState
from publishing.services.credentials import adapter_for
from publishing.services.pipeline import CLAIM_BATCH, content_change, post_for, post_problems

PREFLIGHT_WINDOW = timedelta(minutes=15)


def publications_preflight(*, now=None) -> int:
    """Some minutes before each publication is due: are the credentials still good and the content still
    acceptable? Problems are e-mailed to the board's managers while there is time to act. Each publication
    is checked once; each channel's connection once per run. Returns how many problems were found."""
    now = now or timezone.now()
    due_soon = (
        Publication.objects.filter(
            state=PublicationState.PENDING, preflight_at=None, due_at__lte=now + PREFLIGHT_WINDOW
        )
        .select_related("draft__board", "channel")
        .order_by("due_at")[:CLAIM_BATCH]
    )
    connections: dict[int, str] = {}
    found = 0
    for publication in due_soon:
        channel = publication.channel
        if channel.pk not in connections:
            worked, message = _try_connection(channel)
            connections[channel.pk] = "" if worked else message
        problems = [connections[channel.pk]] if connections[channel.pk] else []
        problems += post_problems(publication.draft, channel)
        changed = content_change(publication, post_for(publication))
        if changed:
            problems.append(changed)
        problem = " ".join(problems)
        claimed = Publication.objects.filter(pk=publication.pk, preflight_at=None).update(
            preflight_at=now, preflight_problem=problem
        )
        if claimed and problem:
            found += 1
            _warn_managers(publication, problem)
    return found


def _try_connection(channel: Channel) -> tuple[bool, str]:
    try:
        return True, adapter_for(channel).test_connection()
    except (AdapterError, NoAdapter) as problem:
        return False, str(problem)


def _warn_managers(publication: Publication, problem: str) -> None:
    board = publication.draft.board
    recipients = [user.email for user, role in board_members(board) if role == "manager" and user.email]
    if not recipients:
        return
    local = timezone.localtime(publication.due_at, timezone=_zone(board.time_zone))
    send_mail(
        subject=" ".join(f"[{board}] Will not publish: {publication.draft.title}".split()),
        message=(
            f'"{publication.draft.title}" is due on {publication.channel.name} at {local:%Y-%m-%d %H:%M %Z}, '
            f"but the pre-flight check found a problem:\n\n{problem}\n\n"
            "Fix the channel or the draft, or unschedule it, before its time."
        ),
        from_email=None,
        recipient_list=recipients,
    )


def _zone(name: str):
    return zoneinfo.ZoneInfo(name)
