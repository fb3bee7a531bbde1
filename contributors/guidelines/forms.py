import json

from django import forms

from cocreate import limits
from contributors.guidelines.checks import RULE_KINDS, SEVERITIES


def _version_field():
    # The guidelines' version the page was rendered with: the service answers 409 when it is stale.
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)


class GuidelineForm(forms.Form):
    brand = forms.CharField(
        label="Brand guidelines",
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        strip=False,
        max_length=limits.GUIDELINE_TEXT_MAX_CHARS,
        help_text=f"Markdown, up to {limits.GUIDELINE_TEXT_MAX_CHARS:,} characters.",
    )
    tone = forms.CharField(
        label="Tone of voice",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        strip=False,
        max_length=limits.GUIDELINE_TEXT_MAX_CHARS,
        help_text=f"Markdown, up to {limits.GUIDELINE_TEXT_MAX_CHARS:,} characters.",
    )
    version = _version_field()


class RuleForm(forms.Form):
    kind = forms.ChoiceField(choices=[(kind, cls.label) for kind, cls in RULE_KINDS.items()])
    severity = forms.ChoiceField(choices=SEVERITIES)
    params = forms.CharField(
        label="Parameters (JSON)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=limits.GUIDELINE_RULE_PARAMS_MAX_CHARS,
        help_text=" · ".join(f"{cls.label}: {cls.help}" for cls in RULE_KINDS.values()),
    )
    version = _version_field()

    def clean_params(self):
        try:
            params = json.loads(self.cleaned_data["params"])
        except ValueError:
            raise forms.ValidationError('Write the parameters as JSON, e.g. {"phrase": "synergy"}.') from None
        if not isinstance(params, dict):
            raise forms.ValidationError('Write the parameters as a JSON object, e.g. {"phrase": "synergy"}.')
        return params
