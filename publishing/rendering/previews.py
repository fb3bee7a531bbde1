"""A channel's rendering of a draft: the exact text (and HTML) it would be sent now, measured the
platform's way, with the problems that would stop it being scheduled."""

from dataclasses import dataclass, field

from publishing.adapters import NoAdapter, adapter_for
from publishing.services.pipeline import post_for_channel


@dataclass(frozen=True)
class Rendering:
    text: str
    html: str
    length: int  # by the platform's counting rule (graphemes, weighted, URLs as 23...)
    limit: int | None  # None: the platform sets no practical limit
    problems: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # platform extras (Bluesky's facets)

    @property
    def over_limit(self) -> bool:
        return self.limit is not None and self.length > self.limit


def rendering_for(draft, channel) -> Rendering:
    post = post_for_channel(draft, channel, idempotency_key="")
    try:
        adapter = adapter_for(channel)
    except NoAdapter as missing:
        return Rendering(post.text, post.html, len(post.text), None, [str(missing)], dict(post.extra))
    return Rendering(
        text=post.text,
        html=post.html,
        length=adapter.text_length(post),
        limit=adapter.text_limit(),
        problems=adapter.validate(post),
        extra=dict(post.extra),
    )
