"""One module per platform behind the small interface in base.py; REGISTRY maps a channel kind to it."""

from publishing.adapters.base import Adapter, AdapterError, Post, PublishResult
from publishing.adapters.webhook import WebhookAdapter

REGISTRY: dict[str, type[Adapter]] = {
    WebhookAdapter.kind: WebhookAdapter,
}


def adapter_for(channel) -> Adapter:
    return REGISTRY[channel.kind](channel)


__all__ = ["REGISTRY", "Adapter", "AdapterError", "Post", "PublishResult", "adapter_for"]
