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
    """The channel cards in the board's order, each kind's shared text box (when the form offers one) just
    before the first card of its kind, and the text boxes no card takes (for channels no longer active)."""
    previews = content_previews(board=board, content=_content(form, draft), draft=draft)
    placed = set()
    cards = []
    for preview in previews:
        name = f"variant_channel_{preview['channel']}"
        kind_name = f"variant_kind_{preview['kind']}"
        card = {"preview": preview, "field": _placed(form, name, placed), "kind_box": None}
        if kind_name in form.fields and kind_name not in placed:
            same_kind = [p["name"] for p in previews if p["kind"] == preview["kind"]]
            card["kind_box"] = {
                "field": _placed(form, kind_name, placed),
                "kind_label": preview["kind_label"],
                "channels": same_kind,
            }
        cards.append(card)
    loose = [form[name] for name in form.fields if name.startswith("variant_") and name not in placed]
    return {"channel_cards": cards, "loose_variant_fields": loose}


def _placed(form, name: str, placed: set):
    """The bound field `name`, tied to the draft form by its id (it sits outside the form), or None."""
    if name not in form.fields:
        return None
    form.fields[name].widget.attrs["form"] = FORM_ID
    placed.add(name)
    return form[name]
