"""Guideline forms: the brand and tone texts, and one small form per rule kind (no JSON to type).

Each rule kind of checks.py has its form here (RULE_FORMS, a test keeps the two in step) with labelled
inputs for its parameters. The form turns them into the kind's params and has the kind itself judge them
(Rule.clean_params, the same check the service, the API and the admin use), showing each problem at the
input it is about.
"""

from django import forms
from django.core.exceptions import ValidationError

from cocreate import limits
from contributors.guidelines.checks import CHANNEL_LABELS, ERROR, RULE_KINDS, SEVERITIES, rule_from
from contributors.guidelines.models import GuidelineRule


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
        help_text=f"What the brand stands for and how it is written. Markdown, up to "
        f"{limits.GUIDELINE_TEXT_MAX_CHARS:,} characters.",
    )
    tone = forms.CharField(
        label="Tone of voice",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        strip=False,
        max_length=limits.GUIDELINE_TEXT_MAX_CHARS,
        help_text=f"How posts should sound (warm, direct, no jargon...). Markdown, up to "
        f"{limits.GUIDELINE_TEXT_MAX_CHARS:,} characters.",
    )
    version = _version_field()


class RuleKindForm(forms.Form):
    """One rule of one kind. Subclasses declare the parameter inputs (named as the params) and the words."""

    kind: str = ""
    title: str = ""  # the section on the guidelines page
    intro: str = ""  # what the rule does, for a manager
    add_label: str = ""  # the add button
    param_names: tuple[str, ...] = ()

    severity = forms.ChoiceField(
        choices=[(ERROR, "Block the submit"), ("warning", "Warn only")],
        initial=ERROR,
        widget=forms.RadioSelect,
        label="When a draft breaks it",
    )
    version = _version_field()

    def __init__(self, *args, rule: GuidelineRule | None = None, **kwargs):
        self.rule = rule
        if rule is not None:
            kwargs["initial"] = {
                "severity": rule.severity,
                **self.initial_params(rule.params),
                **kwargs.get("initial", {}),
            }
        # Several kinds' forms share a page: their ids must differ (names may not: each is its own <form>).
        kwargs.setdefault("auto_id", f"id_{self.kind}_{rule.pk if rule else 'new'}_%s")
        super().__init__(*args, **kwargs)

    @classmethod
    def initial_params(cls, params: dict) -> dict:
        return dict(params)

    def params_from(self, cleaned: dict) -> dict:
        return {name: cleaned.get(name) for name in self.param_names}

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            rule = rule_from(kind=self.kind, params=self.params_from(cleaned), severity=cleaned.get("severity", ERROR))
        except ValidationError as problem:
            for name, messages in problem.message_dict.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
            return cleaned
        cleaned["params"] = rule.params
        return cleaned

    def service_arguments(self) -> dict:
        return {
            "severity": self.cleaned_data["severity"],
            "params": self.cleaned_data["params"],
            "version": self.cleaned_data["version"],
        }


def _phrase_field(label: str, *, help_text: str, required: bool = True, max_length: int) -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, required=required, max_length=max_length)


class BannedPhraseForm(RuleKindForm):
    kind = "banned_phrase"
    title = "Words to avoid"
    intro = "Words or phrases contributors should not use, with what to write instead."
    add_label = "Add word to avoid"
    param_names = ("phrase", "replacement")

    phrase = _phrase_field(
        "Word or phrase to avoid",
        help_text="Found in any case and spacing, as whole words.",
        max_length=limits.GUIDELINE_RULE_PHRASE_MAX_CHARS,
    )
    replacement = _phrase_field(
        "Write instead",
        help_text="Suggested to the writer next to the problem.",
        required=False,
        max_length=limits.GUIDELINE_RULE_PHRASE_MAX_CHARS,
    )
    field_order = ["phrase", "replacement", "severity"]


class RequiredDisclosureForm(RuleKindForm):
    kind = "required_disclosure"
    title = "Required phrases"
    intro = "A phrase every post written by a contributor must carry, such as a sponsorship disclosure."
    add_label = "Add required phrase"
    param_names = ("text",)

    text = _phrase_field(
        "Phrase to include",
        help_text="For example “#ad” or “Sponsored”. Each channel text needs it too, as it is posted alone.",
        max_length=limits.GUIDELINE_RULE_TAG_MAX_CHARS,
    )
    field_order = ["text", "severity"]


class RequiredHashtagForm(RuleKindForm):
    kind = "required_hashtag"
    title = "Required hashtags"
    intro = "A hashtag every post must carry, in the body and in each channel text."
    add_label = "Add hashtag"
    param_names = ("hashtag",)

    hashtag = _phrase_field(
        "Hashtag",
        help_text="Letters, digits or _ with no spaces; the # is added if you leave it out.",
        max_length=limits.GUIDELINE_RULE_TAG_MAX_CHARS,
    )
    field_order = ["hashtag", "severity"]


class LengthLimitForm(RuleKindForm):
    kind = "length_limit"
    title = "Length limits"
    intro = "The most characters a channel's own text may have."
    add_label = "Add length limit"
    param_names = ("channel", "max_length")

    channel = forms.ChoiceField(label="Channel", choices=list(CHANNEL_LABELS.items()))
    max_length = forms.IntegerField(
        label="At most (characters)", min_value=1, max_value=100_000, help_text="A whole number from 1 to 100,000."
    )
    field_order = ["channel", "max_length", "severity"]


class AllowedDomainsForm(RuleKindForm):
    kind = "allowed_domains"
    title = "Allowed link domains"
    intro = "Links may go only to these sites (their subdomains included)."
    add_label = "Add allowed domains"
    param_names = ("domains",)

    domains = forms.CharField(
        label="Domains",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=limits.GUIDELINE_RULE_PARAMS_MAX_CHARS,
        help_text=f"One per line or separated by commas, e.g. example.com; at most "
        f"{limits.GUIDELINE_RULE_DOMAINS_MAX}.",
    )
    field_order = ["domains", "severity"]

    @classmethod
    def initial_params(cls, params: dict) -> dict:
        return {"domains": "\n".join(params.get("domains", []))}

    def params_from(self, cleaned: dict) -> dict:
        return {"domains": (cleaned.get("domains") or "").replace(",", " ").split()}


RULE_FORMS: dict[str, type[RuleKindForm]] = {
    form.kind: form
    for form in (BannedPhraseForm, RequiredDisclosureForm, RequiredHashtagForm, LengthLimitForm, AllowedDomainsForm)
}
assert set(RULE_FORMS) <= set(RULE_KINDS), "a rule form for a kind checks.py does not know"
assert dict(SEVERITIES).keys() == {ERROR, "warning"}


class RuleKindChoice(forms.Form):
    """Which kind a posted rule is (its form then reads the rest)."""

    kind = forms.ChoiceField(choices=[(kind, form.title) for kind, form in RULE_FORMS.items()])
