"""The calendar note form: the fields as people read them; the rules are note_services'."""

from django import forms

from drafts.planning.note_services import NOTE_BODY_MAX, NOTE_TITLE_MAX


class NoteForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=NOTE_TITLE_MAX,
        help_text="What the team should see on those days: a launch, a holiday, a campaign.",
        error_messages={"required": "Give the note a title, for example “Spring launch”."},
    )
    starts_on = forms.DateField(
        label="First day",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Give the first day the note covers.", "invalid": "Give the day as a date."},
    )
    ends_on = forms.DateField(
        label="Last day",
        required=False,
        help_text="Leave empty for a single day.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Give the day as a date."},
    )
    body = forms.CharField(
        label="Description",
        required=False,
        max_length=NOTE_BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @classmethod
    def initial_for(cls, note) -> dict:
        return {"title": note.title, "starts_on": note.starts_on, "ends_on": note.ends_on, "body": note.body}

    def values(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("title", "starts_on", "ends_on", "body")}

    def add_service_errors(self, field_errors: dict) -> None:
        for name, errors in field_errors.items():
            for error in errors:
                self.add_error(name if name in self.fields else None, error)
