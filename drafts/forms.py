import re

from django import forms
from django.core.exceptions import ValidationError

from cocreate.ids import MAX_ID
from drafts.anchoring import CONTEXT_CHARS, QUOTE_MAX_CHARS
from drafts.gates import variant_targets
from drafts.steps import COMMENT_MAX_LENGTH, Argument, Step

# The platforms a brief can name (contributors.briefs); a draft's own texts are keyed by channel or kind.
VARIANT_CHANNELS = [
    ("x", "X"),
    ("bluesky", "Bluesky"),
    ("mastodon", "Mastodon"),
    ("linkedin", "LinkedIn"),
    ("facebook", "Facebook"),
]


KIND_HELP = "Each channel of the kind publishes it, unless it has its own text. Leave empty to publish the body."


PILLARS_SHOWN = "pillars_shown"  # sent by the form that showed the pillar tick boxes


class DraftForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 14}), required=False, strip=False)
    tags = forms.CharField(required=False, help_text="Other keywords, comma separated.")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, board=None, draft=None, **kwargs):
        """One text box per active channel of the board (and per text the draft already has, e.g. one for
        every channel of a kind), each optional: an empty one means the channel gets the body. A tick box per
        content pillar of the board, when it has any."""
        super().__init__(*args, **kwargs)
        board = board or (draft.board if draft is not None else None)
        self.board_pillars = list(board.pillars.order_by("position", "name", "id")) if board is not None else []
        if self.board_pillars:
            self.fields["pillars"] = forms.TypedMultipleChoiceField(
                label="Pillars",
                required=False,
                coerce=int,
                choices=[(str(p.pk), p.name) for p in self.board_pillars],
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": "Choose pillars from the board's list."},
            )
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
                help_text=KIND_HELP if key.startswith("kind:") else "Leave empty to publish the body.",
            )

    @classmethod
    def initial_for(cls, draft) -> dict:
        initial = {"title": draft.title, "body": draft.body, "tags": ", ".join(draft.tags), "version": draft.version}
        initial.update({variant_field_name(key): text for key, text in draft.variants.items()})
        initial["pillars"] = [str(pk) for pk in draft.pillars.values_list("pk", flat=True)]
        return initial

    def pillar_options(self) -> list[dict]:
        """The tick boxes, with each pillar's colour and description (the template draws them)."""
        if "pillars" not in self.fields:
            return []
        if self.is_bound:
            ticked = set(self.data.getlist("pillars")) if hasattr(self.data, "getlist") else set()
        else:
            ticked = set(self.initial.get("pillars") or [])
        return [
            {"pillar": p, "id": f"id_pillars_{p.pk}", "value": str(p.pk), "checked": str(p.pk) in ticked}
            for p in self.board_pillars
        ]

    def content(self) -> dict:
        data = self.cleaned_data
        content = {
            "title": data["title"],
            "body": unix_lines(data["body"]),
            "tags": [t.strip() for t in data["tags"].split(",") if t.strip()],
            "variants": {
                key: unix_lines(data[name]) for name, key in self.variant_fields.items() if data[name].strip()
            },
        }
        # Only a form that showed the boxes chose pillars (none ticked: none); otherwise they stay as they are.
        if "pillars" in self.fields and PILLARS_SHOWN in self.data:
            content["pillars"] = list(data.get("pillars") or [])
        return content


def unix_lines(text: str) -> str:
    """A browser sends a textarea's line breaks as CRLF: kept as typed, they would reach the platforms that take
    the source (a webhook) and show up in every diff against text saved through the API."""
    return text.replace("\r\n", "\n")


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


CHANNELS_SHOWN = "channels_shown"  # sent by the form that showed the tick boxes


class ChannelCheckboxes(forms.CheckboxSelectMultiple):
    """Nothing ticked in the form that showed the boxes is a choice of none (refused: at least one); a post
    from a form without the boxes (an older page) chose nothing, so it means every channel, as in the API."""

    def value_from_datadict(self, data, files, name):
        if CHANNELS_SHOWN not in data:
            return None
        return super().value_from_datadict(data, files, name)


class ChannelIdsField(forms.Field):
    """Ticked channels as ids. Which ids are allowed is the service's to say (the same words as the API)."""

    widget = ChannelCheckboxes

    def to_python(self, value) -> list[int] | None:
        if value is None:
            return None
        try:
            return [int(item) for item in value]
        except (TypeError, ValueError):
            raise ValidationError("Choose channels from the list.") from None


class TransitionForm(forms.Form):
    """A step's form; `channel_rows` pairs each offered channel's tick box with its own time."""

    step: Step
    channel_choices: list[tuple[int, str]] = []

    def step_arguments(self) -> dict:
        """What draft_transition takes, from the cleaned form: per-channel times gathered into `times`."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        times = {pk: data.pop(time_field(pk)) for pk, _ in self.channel_choices if time_field(pk) in data}
        if any(argument.kind == "times" for argument in self.step.arguments) and self.channel_choices:
            data["times"] = {pk: when for pk, when in times.items() if when is not None} or None
        return data

    def channel_rows(self) -> list[dict]:
        if self.is_bound and CHANNELS_SHOWN in self.data:
            ticked = set(self.data.getlist("channels")) if hasattr(self.data, "getlist") else set()
        else:
            ticked = {str(pk) for pk, _ in self.channel_choices}
        return [
            {
                "id": pk,
                "label": label,
                "checkbox_id": f"{self.auto_id % 'channels'}_{pk}" if self.auto_id else "",
                "ticked": str(pk) in ticked,
                "time": self[time_field(pk)] if time_field(pk) in self.fields else None,
            }
            for pk, label in self.channel_choices
        ]


def time_field(channel_id: int) -> str:
    return f"times_{channel_id}"


def _datetime_field(label: str, *, hint: str, required: bool = False) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        help_text=hint,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", **({"required": True} if required else {})}, format="%Y-%m-%dT%H:%M"
        ),
    )


def transition_form_class(
    step: Step, *, time_zone: str = "", choices: dict[str, list[tuple[int, str]]] | None = None
) -> type[TransitionForm]:
    """The page's form for one workflow step, built from its description: the step's inputs and the version.

    It only parses (a date the browser sent, the version, ticked ids); what is required and what is allowed is
    decided by draft_transition, so the page and the API refuse the same things with the same messages. A
    datetime-local value has no offset: the view parses it in the board's time zone, named in the hint.
    `choices` are what the page offers for an argument (e.g. the board's channels); an argument of kind
    "channels" without any is left out (a board without channels), and "times" becomes one time per channel.
    """
    choices = choices or {}
    zone_hint = f"In the board's time zone ({time_zone})." if time_zone else ""
    fields: dict = {"version": forms.IntegerField(widget=forms.HiddenInput, required=False)}
    channel_choices = choices.get("channels", [])
    for argument in step.arguments:
        if argument.kind == "datetime":
            fields[argument.name] = _datetime_field(argument.label, hint=zone_hint, required=argument.required)
        elif argument.kind == "channels":
            if channel_choices:
                fields[argument.name] = ChannelIdsField(
                    label=argument.label,
                    required=False,
                    help_text=argument.hint,
                    widget=ChannelCheckboxes(choices=channel_choices),
                )
        elif argument.kind == "times":
            for pk, label in channel_choices:
                fields[time_field(pk)] = _own_time_field(argument, label, zone_hint)
        else:
            fields[argument.name] = _text_field(argument)
    name = f"{step.name.title().replace('_', '')}Form"
    return type(name, (TransitionForm,), {**fields, "step": step, "channel_choices": channel_choices})


def _own_time_field(argument: Argument, channel: str, zone_hint: str) -> forms.DateTimeField:
    field = _datetime_field(f"Own time for {channel}", hint=argument.hint)
    field.error_messages["invalid"] = f"Enter a date and time for {channel}."
    return field


def _text_field(argument: Argument) -> forms.CharField:
    attrs = {"required": True} if argument.required else {}
    return forms.CharField(
        label=argument.label,
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, **attrs}),
    )


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
