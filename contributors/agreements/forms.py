from django import forms
from django.utils import timezone

from cocreate import limits
from contributors.roles import Role


class AcceptForm(forms.Form):
    signature = forms.CharField(
        max_length=200,
        label="Your full name",
        help_text="Typing your full name is your signature.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DateInput(forms.DateInput):
    input_type = "date"


class AgreementDocumentForm(forms.Form):
    """The text of a version: Markdown typed in, or a PDF (one of the two)."""

    body = forms.CharField(
        label="Text of the agreement",
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        max_length=limits.AGREEMENT_BODY_MAX_CHARS,
        help_text=f"Markdown, up to {limits.AGREEMENT_BODY_MAX_CHARS:,} characters. Leave it empty to upload a PDF.",
    )
    pdf = forms.FileField(
        label="Or the agreement as a PDF",
        required=False,
        help_text="Up to 10 MB. People read it before they sign; its SHA-256 is recorded with each signature.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    effective_on = forms.DateField(
        label="In force from",
        widget=DateInput,
        help_text="From this day everyone it binds must sign this version before they work on the board.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        if not self.errors and bool((cleaned.get("body") or "").strip()) == bool(cleaned.get("pdf")):
            raise forms.ValidationError("Give the agreement either as text or as a PDF (one of the two).")
        return cleaned


class AgreementCreateForm(AgreementDocumentForm):
    title = forms.CharField(label="Title", max_length=200, help_text="For example “Launch NDA” or “Creator contract”.")
    roles = forms.MultipleChoiceField(
        label="Who must sign it",
        choices=Role.choices,
        initial=[Role.CONTRIBUTOR],
        widget=forms.CheckboxSelectMultiple,
        help_text="People holding these roles on the board sign it before they see or write anything there.",
    )
    ends_on = forms.DateField(
        label="Ends on",
        widget=DateInput,
        required=False,
        help_text="For contracts that run out: from this day access ends until a renewal is signed.",
    )
    field_order = ["title", "roles", "body", "pdf", "effective_on", "ends_on"]
