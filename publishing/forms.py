from django import forms

from cocreate.ids import MAX_ID
from publishing.models import ChannelKind, PublicationState


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(choices=ChannelKind.choices)
    name = forms.CharField(max_length=100)
    settings = forms.JSONField(
        required=False,
        initial=dict,
        help_text='Non-secret settings as JSON, e.g. {"url": "https://...", "variant": "x"}.',
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    credentials = forms.JSONField(
        required=False,
        help_text="Secret values as JSON. Never shown again; leave empty to keep the stored ones.",
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
    )
    is_active = forms.BooleanField(required=False, initial=True)

    def clean_settings(self):
        value = self.cleaned_data["settings"] or {}
        if not isinstance(value, dict):
            raise forms.ValidationError("Settings are a JSON object.")
        return value

    def clean_credentials(self):
        value = self.cleaned_data["credentials"] or {}
        if not isinstance(value, dict):
            raise forms.ValidationError("Credentials are a JSON object.")
        return value


class PublicationFilter(forms.Form):
    state = forms.ChoiceField(choices=[("", "Any state"), *PublicationState.choices], required=False)
    channel = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
