from django import forms

from cocreate import limits
from drafts.forms import VARIANT_CHANNELS


class BriefForm(forms.Form):
    topic = forms.CharField(max_length=limits.BRIEF_TOPIC_MAX_CHARS, help_text="Also the title of each claimed draft.")
    description = forms.CharField(
        label="What is wanted",
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        strip=False,
        max_length=limits.BRIEF_DESCRIPTION_MAX_CHARS,
        help_text=f"Markdown, up to {limits.BRIEF_DESCRIPTION_MAX_CHARS:,} characters.",
    )
    channels = forms.MultipleChoiceField(choices=VARIANT_CHANNELS, required=False, widget=forms.CheckboxSelectMultiple)
    deadline = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="In the board's time zone.",
    )
    max_claims = forms.IntegerField(label="Contributors who may take it", min_value=1, max_value=100, initial=1)
    # The brief's version the form was opened with: saving over a newer one is refused (409).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)

    @classmethod
    def initial_for(cls, brief) -> dict:
        return {
            "topic": brief.topic,
            "description": brief.description,
            "channels": brief.channels,
            "deadline": brief.deadline,
            "max_claims": brief.max_claims,
            "version": brief.version,
        }
