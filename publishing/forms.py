"""The channel pages' forms: one per kind, built from the fields its adapter declares (ConfigField), so a
manager fills in labelled inputs instead of JSON. Values are judged by the same check as the API and the
admin (channel_config_check), whose problems are shown at the input they are about."""

from django import forms
from django.core.exceptions import ValidationError

from cocreate.ids import MAX_ID
from publishing import kinds
from publishing.models import Channel, ChannelKind, PublicationState

SETTING = "setting_"
CREDENTIAL = "credential_"
LIST_TYPES = {"list", "integers", "emails"}


class KindChoice(forms.Form):
    """Which kind of channel to add (the page then shows that kind's form)."""

    kind = forms.ChoiceField(choices=[(kind, label) for kind, label in ChannelKind.choices if kind in kinds.REGISTRY])


class ChannelKindForm(forms.Form):
    """Base of the per-kind forms; channel_form_class() adds an input per declared field."""

    kind: str = ""
    name = forms.CharField(max_length=100)
    is_active = forms.BooleanField(required=False, initial=True, label="Active")

    def __init__(self, *args, channel: Channel | None = None, **kwargs):
        self.channel = channel
        if channel is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(channel)
        super().__init__(*args, **kwargs)

    def settings_data(self) -> dict:
        return {
            name.removeprefix(SETTING): value
            for name, value in self.cleaned_data.items()
            if name.startswith(SETTING) and value not in (None, "")
        }

    def credentials_data(self) -> dict | None:
        """The credentials typed in, or None when none were (keep the stored ones)."""
        typed = {
            name.removeprefix(CREDENTIAL): value
            for name, value in self.cleaned_data.items()
            if name.startswith(CREDENTIAL) and value not in (None, "")
        }
        return typed or None

    def clean(self):
        cleaned = super().clean()
        from publishing import services

        settings, credentials = self.settings_data(), self.credentials_data()
        try:
            if self.channel is None:
                services.channel_config_check(Channel(kind=self.kind), settings, credentials or {})
            else:
                services.channel_change_check(self.channel, settings, credentials)
        except ValidationError as problem:
            for section, errors in problem.error_dict.items():
                prefix = SETTING if section == "settings" else CREDENTIAL
                for error in errors:
                    field = f"{prefix}{(error.params or {}).get('field', '')}"
                    self.add_error(field if field in self.fields else None, error)
        return cleaned


def channel_form_class(kind: str) -> type[ChannelKindForm]:
    fields = {f"{SETTING}{field.name}": _input(field, secret=False) for field in kinds.settings_fields(kind)}
    fields |= {f"{CREDENTIAL}{field.name}": _input(field, secret=True) for field in kinds.credential_fields(kind)}
    return type(f"{kind.title()}ChannelForm", (ChannelKindForm,), {"kind": kind, **fields})


def _input(field, *, secret: bool) -> forms.Field:
    label = field.name.replace("_", " ").capitalize() + (" (required)" if field.required else "")
    common = {"label": label, "help_text": field.help, "required": False}
    if secret:
        # Never shown back, not even the value just typed when the form comes back with an error.
        return forms.CharField(widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}), **common)
    if field.type == "boolean":
        return forms.ChoiceField(choices=[("", "Default"), ("true", "Yes"), ("false", "No")], **common)
    if field.type == "choice":
        return forms.ChoiceField(choices=[("", "Default"), *((c, c) for c in field.choices)], **common)
    if field.type in LIST_TYPES:
        common["help_text"] = f"{field.help} Separate several with commas."
    return forms.CharField(max_length=2000, **common)


def initial_for(channel: Channel) -> dict:
    initial = {"name": channel.name, "is_active": channel.is_active}
    for key, value in (channel.settings or {}).items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, list):
            value = ", ".join(str(item) for item in value)
        initial[f"{SETTING}{key}"] = value
    return initial


class PublicationFilter(forms.Form):
    state = forms.ChoiceField(choices=[("", "Any state"), *PublicationState.choices], required=False)
    channel = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
