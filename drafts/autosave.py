"""The editor's background saves: an autosave, a draft started from the new-draft page, and what a conflict shows.

Revisions: an autosave is a draft_update that amends the latest revision when the same person wrote it for
the same round less than DRAFT_AUTOSAVE_REVISION_MINUTES ago (drafts.services.record_revision), so saving
every two seconds while typing leaves one revision per stretch of minutes. A plain "Save" and every image
change still add a revision of their own.
"""

import difflib
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction

from contributors.models import Board, User
from drafts import images as draft_images
from drafts import services
from drafts.models import Draft, DraftImage
from drafts.rules import can_edit
from drafts.selectors import draft_get_for_user

DIFF_MAX_LINES = 40


def revision_window() -> timedelta:
    return timedelta(minutes=getattr(settings, "DRAFT_AUTOSAVE_REVISION_MINUTES", 10))


def draft_autosave(
    *,
    draft_id: int,
    actor: User,
    version: int,
    title: str,
    body: str,
    tags: list[str],
    variants: dict[str, str],
    pillars: list[int] | None = None,
) -> Draft:
    """draft_update with the version check (409 when stale), amending the author's recent revision."""
    return services.draft_update(
        draft_id=draft_id,
        actor=actor,
        version=version,
        title=title,
        body=body,
        tags=tags,
        variants=variants,
        pillars=pillars,
        amend_revision_within=revision_window(),
    )


def draft_start(
    *,
    board: Board,
    author: User,
    title: str,
    body: str = "",
    tags: list[str] | None = None,
    variants: dict[str, str] | None = None,
    images: Sequence[tuple[Any, str]] = (),
    pillars: list[int] | None = None,
) -> Draft:
    """Create a draft together with its first images (upload, alt text), all or nothing.

    An image that is refused refuses the draft too (ValidationError naming the file), so the page can show
    the text again with the reason and nothing half-made is left behind, in the database or the storage.
    """
    stored: list[str] = []
    try:
        with transaction.atomic():
            draft = services.draft_create(
                board=board, author=author, title=title, body=body, tags=tags, variants=variants, pillars=pillars
            )
            for upload, alt_text in images:
                image = draft_images.draft_image_add(
                    draft_id=draft.pk, actor=author, upload=upload, alt_text=alt_text, version=None
                )
                stored.append(image.file.name)
    except BaseException:
        storage = DraftImage._meta.get_field("file").storage
        for name in stored:
            storage.delete(name)
        raise
    return draft


def _lines(content: dict) -> list[str]:
    lines = [f"# {content.get('title', '')}", ""] + str(content.get("body", "")).splitlines()
    if content.get("tags"):
        lines += ["", "Tags: " + ", ".join(content["tags"])]
    for channel, text in sorted((content.get("variants") or {}).items()):
        lines += ["", f"[{channel}]"] + str(text).splitlines()
    return lines


def content_of(draft: Draft) -> dict:
    return {"title": draft.title, "body": draft.body, "tags": list(draft.tags), "variants": dict(draft.variants)}


def conflict_details(*, draft_id: int, actor: User, yours: dict) -> dict:
    """What a stale autosave is shown: the draft as it is now, who saved it last and when, and a short diff
    from the text typed here to theirs. Read only; `yours` is the submitted content, handed back untouched."""
    draft = draft_get_for_user(actor, draft_id)
    latest = draft.revisions.select_related("author").order_by("-number").first()
    theirs = content_of(draft)
    # Without the two file-name lines: the page says which side is which.
    diff = list(difflib.unified_diff(_lines(yours), _lines(theirs), lineterm=""))[2:]
    return {
        "draft": draft,
        "version": draft.version,
        "state": draft.state,
        "editable": can_edit(draft, actor),
        "changed_by": latest.author if latest is not None else None,
        "changed_at": draft.updated_at,
        # A step (submitted, archived...) moves the version on too, and ends editing.
        "last_event": draft.events.select_related("actor").order_by("-created_at", "-id").first(),
        "theirs": theirs,
        "yours": yours,
        "diff": diff[:DIFF_MAX_LINES],
        "diff_hidden": max(0, len(diff) - DIFF_MAX_LINES),
    }
