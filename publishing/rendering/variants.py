"""Which text a channel publishes: the draft's variant for that channel, else its variant for every channel
of the kind, else the body. Variant keys are `channel:<id>` and `kind:<kind>`."""

CHANNEL_PREFIX = "channel:"
KIND_PREFIX = "kind:"


def channel_key(channel_id: int) -> str:
    return f"{CHANNEL_PREFIX}{channel_id}"


def kind_key(kind: str) -> str:
    return f"{KIND_PREFIX}{kind}"


def variant_for(variants: dict, *, channel_id: int, kind: str) -> str:
    """The variant that applies (channel, then kind), or "" when the body does."""
    return (variants or {}).get(channel_key(channel_id)) or (variants or {}).get(kind_key(kind)) or ""


def markdown_for(draft, channel) -> str:
    """The Markdown this channel publishes for the draft."""
    return variant_for(draft.variants, channel_id=channel.pk, kind=channel.kind) or draft.body
