"""What the editor page shows beside the form: a card per active channel with its preview (and its own text box
when the form offers one for that channel), and the other per-platform text boxes."""

from contributors.models import Board
from drafts.editor_previews import content_previews
from drafts.forms import DraftForm
from drafts.models import Draft

FORM_ID = "draft-form"  # the text boxes beside the previews belong to the form by this id


def submitted_content(data) -> dict:
    """The editor's fields as typed, without judging them: what the previews show and a refusal hands back."""
    form = DraftForm()
    names = getattr(form, "variant_fields", None) or {
        name: name.removeprefix("variant_") for name in form.fields if name.startswith("variant_")
    }
    variants = {key: data.get(name, "") for name, key in names.items()}
    return {
        "title": " ".join(data.get("title", "").split()),
        "body": data.get("body", ""),
        "tags": [t.strip() for t in data.get("tags", "").split(",") if t.strip()],
        "variants": {key: text for key, text in variants.items() if text.strip()},
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
