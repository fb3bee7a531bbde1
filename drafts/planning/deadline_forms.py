"""The deadline form on the draft page: a local time in the board's zone, and what is due."""

from django import forms

from drafts.planning.deadline_services import DEADLINE_LABEL_MAX, DEFAULT_LABEL


class DeadlineForm(forms.Form):
    due_at = forms.DateTimeField(
        label="Due",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": "Give the date and time it is due.", "invalid": "Give a date and a time."},
    )
    label = forms.CharField(
        label="What is due",
        max_length=DEADLINE_LABEL_MAX,
        required=False,
        initial=DEFAULT_LABEL,
        help_text="For example “Due for review” or “Legal sign-off”.",
    )

    def add_service_errors(self, field_errors: dict) -> None:
        for name, errors in field_errors.items():
            for error in errors:
                self.add_error(name if name in self.fields else None, error)
