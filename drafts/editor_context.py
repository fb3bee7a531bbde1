"""What the editor page shows beside the form: a card per active channel with its preview (and its own text box
when the form offers one for that channel), and the other per-platform text boxes."""

import re

from contributors.models import Board
from drafts.editor_previews import content_previews
from drafts.models import Draft

FORM_ID = "draft-form"  # the text boxes beside the previews belong to the form by this id


# variant_channel_12 -> channel:12, variant_kind_x -> kind:x (the per-channel texts); any other variant_<key> -> key.
VARIANT_FIELD = re.compile(r"^variant_(?:(channel|kind)_)?([a-z0-9_-]+)$")


def submitted_content(data) -> dict:
    """The editor's fields as typed, without judging them: what the previews show and a refusal hands back."""
    variants = {}
    for name in data:
        match = VARIANT_FIELD.match(name)
        if match and str(data.get(name, "")).strip():
            key = f"{match.group(1)}:{match.group(2)}" if match.group(1) else match.group(2)
            variants[key] = data.get(name, "")
    return {
        "title": " ".join(data.get("title", "").split()),
        "body": data.get("body", ""),
        "tags": [t.strip() for t in data.get("tags", "").split(",") if t.strip()],
        "variants": variants,
    }


def _content(form, draft: Draft | None) -> dict:
    if form.is_bound:
        return submitted_content(form.data)
    if draft is not None:
        return {"title": draft.title, "body": draft.body, "tags": list(draft.tags), "variants": dict(draft.variants)}
    return {}


def editor_page_context(*, board: Board, form, draft: Draft | None) -> dict:
    previews = content_previews(board=board, content=_content(form, draft), draft=draft)
    placed = set()
    cards = []
    for preview in previews:
        name = f"variant_channel_{preview['channel']}"
        field = None
        if name in form.fields:
            form.fields[name].widget.attrs["form"] = FORM_ID
            field = form[name]
            placed.add(name)
        cards.append({"preview": preview, "field": field})
    loose = [form[name] for name in form.fields if name.startswith("variant_") and name not in placed]
    return {"channel_cards": cards, "loose_variant_fields": loose}
