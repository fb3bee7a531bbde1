import json

from django import forms

from contributors.guidelines.checks import RULE_KINDS, SEVERITIES


class GuidelineForm(forms.Form):
    brand = forms.CharField(
        label="Brand guidelines",
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        strip=False,
        help_text="Markdown.",
    )
    tone = forms.CharField(
        label="Tone of voice",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        strip=False,
        help_text="Markdown.",
    )


class RuleForm(forms.Form):
    kind = forms.ChoiceField(choices=[(kind, cls.label) for kind, cls in RULE_KINDS.items()])
    severity = forms.ChoiceField(choices=SEVERITIES)
    params = forms.CharField(
        label="Parameters (JSON)",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=" · ".join(f"{cls.label}: {cls.help}" for cls in RULE_KINDS.values()),
    )

    def clean_params(self):
        try:
            params = json.loads(self.cleaned_data["params"])
        except ValueError:
            raise forms.ValidationError('Write the parameters as JSON, e.g. {"phrase": "synergy"}.') from None
        if not isinstance(params, dict):
            raise forms.ValidationError('Write the parameters as a JSON object, e.g. {"phrase": "synergy"}.')
        return params
