"""Choosing where and when a draft goes out (the schedule and retry steps' channels and times), and acting
on one publication from the log: retry it, or read the post back from its platform."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from cocreate.errors import Conflict
from drafts.models import DraftEvent
from drafts.services import draft_transition
from drafts.steps import time_problem
from publishing.adapters import AdapterError, NoAdapter
from publishing.links import http_url
from publishing.models import Channel, Publication, PublicationState
from publishing.services.credentials import adapter_for


def channel_label(channel: Channel) -> str:
    """How the schedule form names a channel: its name and what kind of platform it is."""
    return f"{channel.name} ({channel.get_kind_display()})"


def schedule_channels(*, draft) -> list[Channel]:
    """What scheduling offers: the board's active channels."""
    return list(Channel.objects.filter(board=draft.board_id, is_active=True).order_by("name", "pk"))


def retry_channels(*, draft) -> list[Channel]:
    """What a retry offers: the channels where this draft failed."""
    return list(
        Channel.objects.filter(publications__draft=draft, publications__state=PublicationState.FAILED).order_by(
            "name", "pk"
        )
    )


def schedule_channel_choices(*, draft) -> list[tuple[int, str]]:
    return [(channel.pk, channel_label(channel)) for channel in schedule_channels(draft=draft)]


def retry_channel_choices(*, draft) -> list[tuple[int, str]]:
    return [(channel.pk, channel_label(channel)) for channel in retry_channels(draft=draft)]


def schedule_arguments_check(*, draft, arguments: dict) -> dict:
    """The schedule step's channels and times, judged against the board: each chosen channel must be one of
    its active channels (all of them when none are named). Completed for the effect: `times` holds every
    chosen channel's time, and the draft's publish time becomes the earliest of them (lists and the
    no-channel board's publishing read it)."""
    offered = schedule_channels(draft=draft)
    return _channel_plan(arguments, offered, refusal=lambda ids: _not_schedulable(draft, ids))


def retry_arguments_check(*, draft, arguments: dict) -> dict:
    """The retry step's channels and times: each chosen channel must be one where the draft failed."""
    offered = retry_channels(draft=draft)
    return _channel_plan(
        arguments,
        offered,
        refusal=lambda ids: [f"Channel {pk} has no failed publication of this draft to retry." for pk in ids],
    )


def _channel_plan(arguments: dict, offered: list[Channel], *, refusal) -> dict:
    by_id = {channel.pk: channel for channel in offered}
    named = arguments.get("channels")
    errors: dict[str, list[str]] = {}
    if named is None:
        chosen = offered
    else:
        unknown = [pk for pk in named if pk not in by_id]
        if unknown:
            errors["channels"] = refusal(unknown)
        chosen = [by_id[pk] for pk in named if pk in by_id]
    chosen_ids = {channel.pk for channel in chosen}
    own_times = arguments.get("times") or {}
    strays = [pk for pk in own_times if pk not in chosen_ids]
    if strays and "channels" not in errors:
        errors["times"] = [f"Channel {pk} has a time but is not among the chosen channels." for pk in strays]
    wrong_times = [
        f"{by_id[pk].name}: {time_problem(when)}"
        for pk, when in own_times.items()
        if pk in by_id and time_problem(when)
    ]
    if wrong_times:
        errors.setdefault("times", []).extend(wrong_times)
    if errors:
        raise ValidationError(errors)
    if not chosen:
        return arguments  # nothing offered (a board without channels): nothing to record either
    times = {channel.pk: own_times.get(channel.pk, arguments["publish_at"]) for channel in chosen}
    completed = {**arguments, "channels": [channel.pk for channel in chosen], "times": times}
    completed["publish_at"] = min(times.values())
    return completed


def _not_schedulable(draft, ids: list[int]) -> list[str]:
    # A switched-off channel of this board is named; any other id is "not this board's", whether it exists
    # on a board the manager cannot see or not at all.
    switched_off = dict(
        Channel.objects.filter(board=draft.board_id, pk__in=ids, is_active=False).values_list("pk", "name")
    )
    return [
        f"{switched_off[pk]} is switched off: switch it on in the board's channels to publish there."
        if pk in switched_off
        else f"Channel {pk} is not one of this board's channels."
        for pk in ids
    ]


def publication_retry(*, publication_id: int, actor) -> DraftEvent:
    """The log's retry button: the draft's failed -> scheduled transition (permission-checked and audited
    there), which sends only the failed channels again, now."""
    from publishing.selectors import publication_get_for_user

    publication = publication_get_for_user(actor, publication_id)
    if publication.state != PublicationState.FAILED:
        raise Conflict(f"Only a failed publication can be retried; this one is {publication.get_state_display()}.")
    return draft_transition(draft_id=publication.draft_id, name="retry", actor=actor)


def publication_check(*, publication_id: int, actor) -> Publication:
    """Read a published post back from its platform: is it still there, and where? Managers only (it uses
    the channel's credentials). The answer is stored on the publication; a platform that cannot be reached
    changes nothing and says so (409)."""
    from publishing.selectors import publication_get_for_user, require_manager

    publication = publication_get_for_user(actor, publication_id)
    require_manager(actor, publication.draft.board)
    if publication.state != PublicationState.PUBLISHED or not publication.platform_post_id:
        raise Conflict("Only a published post can be checked on its platform.")
    try:
        adapter = adapter_for(publication.channel)
    except NoAdapter as problem:
        raise Conflict(str(problem)) from None
    if not adapter.can_fetch():
        raise Conflict(f"{publication.channel.get_kind_display()} does not let us read a post back.")
    try:
        status = adapter.fetch(publication.platform_post_id)
    except AdapterError as problem:
        raise Conflict(f"Could not check the post: {problem.message}") from None
    publication.checked_at = timezone.now()
    publication.live = status.live
    publication.check_detail = (status.detail or ("The post is live." if status.live else "The post is gone."))[:300]
    fields = ["checked_at", "live", "check_detail", "updated_at"]
    if http_url(status.url) and status.url != publication.platform_url:
        publication.platform_url = http_url(status.url)
        fields.append("platform_url")
    publication.save(update_fields=fields)
    return publication
