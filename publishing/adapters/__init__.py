"""One module per platform behind the small interface in base.py.

Every module in this package that defines an Adapter subclass with a `kind` is registered: adding a
platform is adding its module (and its stand-in and tests).
"""

import importlib
import pkgutil

from publishing.adapters.base import Adapter, AdapterError, Post, PublishResult


def _discover() -> dict[str, type[Adapter]]:
    for module in pkgutil.iter_modules(__path__):
        if module.name != "base":
            importlib.import_module(f"{__name__}.{module.name}")
    return {cls.kind: cls for cls in _subclasses(Adapter) if cls.kind}


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


REGISTRY: dict[str, type[Adapter]] = _discover()


class NoAdapter(Exception):
    pass


def adapter_for(channel) -> Adapter:
    try:
        return REGISTRY[channel.kind](channel)
    except KeyError:
        raise NoAdapter(f"No adapter for {channel.kind!r} channels yet.") from None


__all__ = ["REGISTRY", "Adapter", "AdapterError", "NoAdapter", "Post", "PublishResult", "adapter_for"]
