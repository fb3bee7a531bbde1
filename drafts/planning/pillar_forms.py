"""Forms of the pillars page. They parse; what a pillar may be is pillar_services' to say (same words as the API)."""

from django import forms

from drafts.planning.pillar_services import DEFAULT_COLOUR, DESCRIPTION_MAX, NAME_MAX


class PillarForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=NAME_MAX,
        help_text="What the posts are about, for example Product, Community or Education.",
    )
    colour = forms.CharField(
        label="Colour",
        initial=DEFAULT_COLOUR,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text="Shown beside the pillar's name on drafts, the calendar and the mix.",
    )
    target_percent = forms.IntegerField(
        label="Target share",
        min_value=0,
        max_value=100,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input-narrow"}),
        help_text="The share of the board's posts this pillar should have, in percent. 0 for no target.",
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What belongs in it, so writers choose the right pillar.",
    )

    error_messages_by_field = {
        "target_percent": "The target is a share of the board's posts in percent: a whole number from 0 to 100.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in self.error_messages_by_field.items():
            field = self.fields[name]
            for key in ("invalid", "min_value", "max_value", "required"):
                field.error_messages[key] = message

    @classmethod
    def initial_for(cls, pillar) -> dict:
        return {
            "name": pillar.name,
            "colour": pillar.colour,
            "target_percent": pillar.target_percent,
            "description": pillar.description,
        }


class PillarMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


def add_service_errors(form: forms.Form, field_errors: dict[str, list[str]]) -> None:
    """A refused service call's field messages, at the fields they are about (the rest at the top)."""
    for name, messages in field_errors.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
