"""Channels: creating, changing and testing them. Settings and credentials are judged per kind
(publishing/kinds.py); credentials never follow a channel to another host."""

from django.core.exceptions import ValidationError
from django.db import transaction

from publishing.adapters import AdapterError, NoAdapter
from publishing.models import Channel
from publishing.services.credentials import adapter_for


@transaction.atomic
def channel_create(
    *,
    board,
    actor,
    kind: str,
    name: str,
    settings: dict | None = None,
    credentials: dict | None = None,
    is_active: bool = True,
) -> Channel:
    from publishing.selectors import require_manager

    if actor is not None:
        require_manager(actor, board)
    channel = Channel(board=board, kind=kind, name=(name or "").strip(), is_active=is_active)
    channel.full_clean(exclude=["settings"])
    channel.settings, credentials = channel_config_check(channel, settings or {}, credentials or {})
    channel.credentials = credentials or {}
    channel.save()
    return channel


def channel_config_check(
    channel: Channel, settings: dict, credentials: dict | None, stored_credentials: dict | None = None
) -> tuple[dict, dict | None]:
    """The settings and new credentials (None: keep the stored ones) checked against the kind's declared
    fields (publishing/kinds.py), normalised; ValidationError naming every problem, required keys first."""
    from publishing.kinds import config_clean

    return config_clean(
        kind=channel.kind,
        label=channel.get_kind_display(),
        settings=settings,
        credentials=credentials,
        stored_credentials=stored_credentials,
    )


def channel_moves(channel: Channel, settings: dict) -> list[str]:
    """The settings saying where the channel points that `settings` would change."""
    from publishing.kinds import locating_settings

    return [key for key in locating_settings(channel.kind) if settings.get(key) != channel.settings.get(key)]


def channel_change_check(channel: Channel, settings: dict, credentials: dict | None) -> tuple[dict, dict | None, bool]:
    """What channel_update would store: (settings, new credentials or None to keep, whether the channel moves).

    A move without new credentials is judged as if none were stored, and a refusal for the missing ones says
    why they are missing. The channel pages and the admin form call this too, to show problems at their field.
    """
    moved = bool(channel_moves(channel, settings))
    stored = {} if moved and not credentials else channel.credentials
    try:
        settings, credentials = channel_config_check(channel, settings, credentials, stored_credentials=stored)
    except ValidationError as problem:
        if moved and not credentials and "credentials" in problem.error_dict:
            errors = {**problem.error_dict, "credentials": [ValidationError(CREDENTIALS_CLEARED, code="required")]}
            raise ValidationError(errors) from None
        raise
    return settings, credentials, moved


CREDENTIALS_CLEARED = "Changing where the channel points clears its stored credentials: enter them again."


@transaction.atomic
def channel_update(
    *,
    channel: Channel,
    actor,
    name: str | None = None,
    settings: dict | None = None,
    credentials: dict | None = None,
    is_active: bool | None = None,
) -> Channel:
    """Credentials are replaced only when new ones are given: they are never read back to be re-sent.

    Changing where the channel points (any setting its kind marks `locates`: a URL, an API address, an SMTP
    host or port) drops the stored credentials unless new ones come with the change, so a token entered for
    one host is never sent to another, whichever page, API call or admin form made the change."""
    from publishing.selectors import require_manager

    require_manager(actor, channel.board)
    # The credentials as stored now, under the row lock, not the caller's copy: a worker may have refreshed a
    # token since it was loaded, and saving the copy would put the spent one back.
    channel.credentials_token = (
        Channel.objects.select_for_update().values_list("credentials_token", flat=True).get(pk=channel.pk)
    )
    if name is not None:
        channel.name = name.strip()
    if is_active is not None:
        channel.is_active = is_active
    channel.full_clean(exclude=["settings"])
    new_settings = channel.settings if settings is None else settings
    channel.settings, new_credentials, moved = channel_change_check(channel, new_settings, credentials or None)
    if new_credentials:
        channel.credentials = new_credentials
    elif moved:
        channel.credentials = {}
    channel.save()
    return channel


def channel_test(*, channel: Channel, actor) -> tuple[bool, str]:
    """Try the channel's connection: (worked, what was checked or what went wrong). Changes nothing."""
    from publishing.selectors import require_manager

    require_manager(actor, channel.board)
    try:
        return True, adapter_for(channel).test_connection()
    except (AdapterError, NoAdapter) as problem:
        return False, str(problem)
