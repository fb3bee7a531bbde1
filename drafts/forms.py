import re

from django import forms

from drafts.gates import variant_targets
from drafts.steps import COMMENT_MAX_LENGTH, Step

# The platforms a brief can name (contributors.briefs); a draft's own texts are keyed by channel or kind.
VARIANT_CHANNELS = [
    ("x", "X"),
    ("bluesky", "Bluesky"),
    ("mastodon", "Mastodon"),
    ("linkedin", "LinkedIn"),
    ("facebook", "Facebook"),
]


class DraftForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 14}), required=False, strip=False)
    tags = forms.CharField(required=False, help_text="Content pillars, comma separated.")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, board=None, draft=None, **kwargs):
        """One text box per active channel of the board (and per text the draft already has, e.g. one for
        every channel of a kind), each optional: an empty one means the channel gets the body."""
        super().__init__(*args, **kwargs)
        board = board or (draft.board if draft is not None else None)
        offered = variant_targets(board, offered=True) if board is not None else None
        everything = (variant_targets(board) or {}) if board is not None else {}
        keys = dict(offered or {})
        for key in draft.variants if draft is not None else ():
            keys.setdefault(key, everything.get(key, key))
        self.variant_fields: dict[str, str] = {}
        for key, label in keys.items():
            name = variant_field_name(key)
            self.variant_fields[name] = key
            self.fields[name] = forms.CharField(
                label=f"Text for {label}",
                required=False,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="Leave empty to publish the body.",
            )

    @classmethod
    def initial_for(cls, draft) -> dict:
        initial = {"title": draft.title, "body": draft.body, "tags": ", ".join(draft.tags), "version": draft.version}
        initial.update({variant_field_name(key): text for key, text in draft.variants.items()})
        return initial

    def content(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "body": data["body"],
            "tags": [t.strip() for t in data["tags"].split(",") if t.strip()],
            "variants": {key: data[name] for name, key in self.variant_fields.items() if data[name].strip()},
        }


def variant_field_name(key: str) -> str:
    """The form field of a variant key: channel:12 -> variant_channel_12, kind:x -> variant_kind_x."""
    return "variant_" + re.sub(r"[^a-z0-9_]", "_", key)


VARIANT_FIELD = re.compile(r"^variant_(channel|kind)_([a-z0-9_-]+)$")


def variants_from_post(data) -> dict[str, str]:
    """The variants a posted draft form carries (the guideline check reads them before anything is saved)."""
    found = {}
    for name, value in data.items():
        match = VARIANT_FIELD.match(name)
        if match and str(value).strip():
            found[f"{match.group(1)}:{match.group(2)}"] = str(value)
    return found


class CommentForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000)


def transition_form_class(step: Step, *, time_zone: str = "") -> type[forms.Form]:
    """The page's form for one workflow step, built from its description: the step's inputs and the version.

    It only parses (a date the browser sent, the version); what is required and what is allowed is decided by
    draft_transition, so the page and the API refuse the same things with the same messages. A
    datetime-local value has no offset: the view parses it in the board's time zone, named in the hint.
    """
    fields: dict[str, forms.Field] = {"version": forms.IntegerField(widget=forms.HiddenInput, required=False)}
    for argument in step.arguments:
        attrs = {"required": True} if argument.required else {}
        if argument.kind == "datetime":
            fields[argument.name] = forms.DateTimeField(
                label=argument.label,
                required=False,
                help_text=f"In the board's time zone ({time_zone})." if time_zone else "",
                widget=forms.DateTimeInput(attrs={"type": "datetime-local", **attrs}),
            )
        else:
            fields[argument.name] = forms.CharField(
                label=argument.label,
                required=False,
                max_length=COMMENT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2, **attrs}),
            )
    return type(f"{step.name.title().replace('_', '')}Form", (forms.Form,), fields)


class DraftImageForm(forms.Form):
    """The upload; what makes an image acceptable is decided by drafts.images, not here."""

    file = forms.FileField(label="Image", widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))
    alt_text = forms.CharField(
        label="Alt text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 1000}),
        help_text="Describe the picture for people who cannot see it.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DraftImageUpdateForm(forms.Form):
    alt_text = forms.CharField(required=False, strip=False)
    move = forms.ChoiceField(choices=[("up", "up"), ("down", "down")], required=False)
    position = forms.IntegerField(required=False, min_value=0)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DraftImageRemoveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
