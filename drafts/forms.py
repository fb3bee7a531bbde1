from django import forms

from cocreate.ids import MAX_ID
from drafts.anchoring import CONTEXT_CHARS, QUOTE_MAX_CHARS
from drafts.steps import COMMENT_MAX_LENGTH, Step

# The channels a draft can carry its own text for; the publishing app maps channel kinds onto these.
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in VARIANT_CHANNELS:
            self.fields[f"variant_{key}"] = forms.CharField(
                label=f"{label} text", required=False, widget=forms.Textarea(attrs={"rows": 3})
            )

    @classmethod
    def initial_for(cls, draft) -> dict:
        initial = {"title": draft.title, "body": draft.body, "tags": ", ".join(draft.tags), "version": draft.version}
        initial.update({f"variant_{key}": text for key, text in draft.variants.items()})
        return initial

    def content(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "body": data["body"],
            "tags": [t.strip() for t in data["tags"].split(",") if t.strip()],
            "variants": {key: data[f"variant_{key}"] for key, _ in VARIANT_CHANNELS if data[f"variant_{key}"].strip()},
        }


class CommentForm(forms.Form):
    body = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000)
    # A reply names its thread; a comment on a passage carries the passage (set by static/js/review.js).
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_ID)
    quote = forms.CharField(widget=forms.HiddenInput, required=False, strip=False, max_length=QUOTE_MAX_CHARS)
    prefix = forms.CharField(widget=forms.HiddenInput, required=False, strip=False, max_length=200)
    suffix = forms.CharField(widget=forms.HiddenInput, required=False, strip=False, max_length=200)
    position = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=10_000_000)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "body": data["body"],
            "parent_id": data["parent"],
            "quote": data["quote"] or "",
            "prefix": (data["prefix"] or "")[-CONTEXT_CHARS:],
            "suffix": (data["suffix"] or "")[:CONTEXT_CHARS],
            "position": data["position"],
        }


class CommentResolveForm(forms.Form):
    resolved = forms.TypedChoiceField(choices=[("1", "resolve"), ("0", "reopen")], coerce=lambda value: value == "1")


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
