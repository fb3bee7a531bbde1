"""One module per platform behind the small interface in base.py.

Every module in this package that defines an Adapter subclass with a `kind` is registered: adding a
platform is adding its module (and its stand-in and tests).
"""

import importlib
import pkgutil

from publishing.adapters.base import Adapter, AdapterError, Post, PublishResult
from publishing.adapters.credentials import CredentialStore


def _discover() -> dict[str, type[Adapter]]:
    for module in pkgutil.iter_modules(__path__):
        if module.name not in ("base", "credentials"):
            importlib.import_module(f"{__name__}.{module.name}")
    return {cls.kind: cls for cls in _subclasses(Adapter) if cls.kind}


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


REGISTRY: dict[str, type[Adapter]] = _discover()


class NoAdapter(Exception):
    pass


def adapter_for(channel, credential_store: CredentialStore | None = None) -> Adapter:
    """The channel's adapter. Where refreshed credentials must be stored, publishing.services.adapter_for
    passes the store that writes them to the channel's row."""
    try:
        return REGISTRY[channel.kind](channel, credential_store)
    except KeyError:
        raise NoAdapter(f"No adapter for {channel.kind!r} channels yet.") from None


__all__ = ["REGISTRY", "Adapter", "AdapterError", "NoAdapter", "Post", "PublishResult", "adapter_for"]
