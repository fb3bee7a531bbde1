"""The editor's previews per channel: text typed but not saved, rendered by publishing.rendering exactly as each
active channel of the board would be sent it (publishing.selectors.draft_previews does the same for a saved
draft, and gives the same keys, so one template shows both).

Nothing is written: the renderer is handed an unsaved stand-in that carries the typed content, the board and
the draft's saved images (a new draft has none yet).
"""

from dataclasses import dataclass, field
from typing import Any, cast

from contributors.models import Board
from drafts.models import Draft
from publishing.models import Channel
from publishing.rendering.previews import rendering_for


class _Images(list):
    """What the renderer asks of draft.images: .all()."""

    def all(self) -> list:
        return list(self)


@dataclass
class UnsavedContent:
    """The parts of a Draft that rendering reads, for content typed in the editor."""

    board: Board
    title: str
    body: str
    tags: list[str]
    variants: dict[str, str]
    pk: int | None = None
    images: _Images = field(default_factory=_Images)


def board_channels(board: Board) -> list[Channel]:
    return list(Channel.objects.filter(board_id=board.pk, is_active=True).order_by("name", "pk"))


def content_previews(*, board: Board, content: dict, draft: Draft | None = None, channels=None) -> list[dict]:
    """One entry per active channel: the typed `content` (title, body, tags, variants) as that platform would get
    it, its length by the platform's rule, the limit and what the platform would refuse. Two queries: the
    channels and the draft's images."""
    images = _Images(draft.images.all()) if draft is not None else _Images()
    stand_in = UnsavedContent(
        board=board,
        title=content.get("title", ""),
        body=content.get("body", ""),
        tags=list(content.get("tags", [])),
        variants=dict(content.get("variants", {})),
        pk=draft.pk if draft is not None else None,
        images=images,
    )
    previews = []
    for channel in board_channels(board) if channels is None else channels:
        rendering = rendering_for(cast(Any, stand_in), channel)
        previews.append(
            {
                "channel": channel.pk,
                "name": channel.name,
                "kind": channel.kind,
                "kind_label": channel.get_kind_display(),
                "text": rendering.text,
                "html": rendering.html,
                "length": rendering.length,
                "limit": rendering.limit,
                "over_limit": rendering.over_limit,
                "over_by": rendering.length - rendering.limit if rendering.over_limit and rendering.limit else 0,
                "problems": list(rendering.problems),
                "extra": rendering.extra,
                "images": list(images),
            }
        )
    return previews
