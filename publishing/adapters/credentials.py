"""How an adapter that refreshes tokens or sessions (X, LinkedIn, Bluesky) reads the channel's credentials as
stored now and hands refreshed ones back, without touching the database: the pipeline passes in a store
(publishing.services.credentials) that does the reading and writing under the channel's row lock."""

from typing import Protocol


class CredentialStore(Protocol):
    def current(self) -> dict:
        """The channel's credentials as stored now (another worker may have refreshed them)."""
        ...

    def save(self, *, based_on: dict, changes: dict) -> dict:
        """Store what a refresh made from `based_on` changed, merged with what is stored now (merge_refreshed);
        returns the credentials as they stand afterwards."""
        ...


def merge_refreshed(stored: dict, *, based_on: dict, changes: dict) -> dict:
    """The credentials once a refresh made from `based_on` produced `changes`, `stored` being what is there now.

    A concurrent update is never lost. If anything the refresh did not change no longer holds what it started
    from, the credentials were replaced meanwhile (re-entered, another account, cleared because the channel now
    points elsewhere): the refresh belongs to credentials that are gone and nothing of it is kept, so a token
    never lands on credentials (or a host) it was not issued for. Otherwise each changed key is written, except
    one another refresh has changed first: that one is as new as ours and may be in use already.
    """
    if any(stored.get(key) != value for key, value in based_on.items() if key not in changes):
        return dict(stored)
    merged = dict(stored)
    for key, value in changes.items():
        if stored.get(key) == based_on.get(key):
            merged[key] = value
    return merged


class MemoryCredentials:
    """The store of an adapter made without one (validation, tests of the HTTP exchange): what a refresh hands
    back lasts as long as the channel object in memory."""

    def __init__(self, channel):
        self.channel = channel

    def current(self) -> dict:
        return self.channel.credentials

    def save(self, *, based_on: dict, changes: dict) -> dict:
        return merge_refreshed(self.channel.credentials, based_on=based_on, changes=changes)
