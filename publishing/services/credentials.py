"""Refreshed tokens and sessions: the adapters hand them back (publishing.adapters.credentials) and they are
stored here, on the channel's row, under its lock, merged with what is stored now."""

from django.db import transaction

from publishing.adapters import Adapter
from publishing.adapters import adapter_for as _adapter_for
from publishing.adapters.credentials import merge_refreshed
from publishing.models import Channel


def adapter_for(channel: Channel) -> Adapter:
    """The channel's adapter, storing what it refreshes on the channel's row. The pipeline, the connection
    tests and the read-back use this one."""
    return _adapter_for(channel, ChannelCredentials(channel.pk))


class ChannelCredentials:
    """The credential store publishing hands its adapters."""

    def __init__(self, channel_id: int):
        self.channel_id = channel_id

    def current(self) -> dict:
        return Channel.objects.only("credentials_token").get(pk=self.channel_id).credentials

    def save(self, *, based_on: dict, changes: dict) -> dict:
        return channel_credentials_refreshed(channel_id=self.channel_id, based_on=based_on, changes=changes)


@transaction.atomic
def channel_credentials_refreshed(*, channel_id: int, based_on: dict, changes: dict) -> dict:
    """Store what an adapter's refresh made from `based_on` changed, merged under the row lock with what is
    stored now, so that neither a concurrent refresh nor a person's edit is lost (merge_refreshed says how).
    Returns the credentials as stored afterwards."""
    channel = Channel.objects.select_for_update().only("credentials_token").get(pk=channel_id)
    stored = channel.credentials
    merged = merge_refreshed(stored, based_on=based_on, changes=changes)
    if merged != stored:
        channel.credentials = merged
        channel.save(update_fields=["credentials_token"])
    return merged
