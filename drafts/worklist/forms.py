from django import forms


class BoardSettingsForm(forms.Form):
    review_due_hours = forms.IntegerField(
        label="Time a draft may wait in review (hours)",
        min_value=1,
        max_value=24 * 30,
        help_text="Past it the draft is marked overdue and its reviewers are reminded; its managers are told "
        "after as long again. 48 hours is two days.",
    )
