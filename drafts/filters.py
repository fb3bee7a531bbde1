import django_filters
from django import forms

from drafts.models import Draft, DraftState


class IdFilter(django_filters.NumberFilter):
    """A whole-number id: '1.5' or an id past the database's integer range is a 400, not board 1 or a 500."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class DraftFilter(django_filters.FilterSet):
    board = IdFilter(field_name="board_id")
    state = django_filters.ChoiceFilter(choices=DraftState.choices)

    class Meta:
        model = Draft
        fields = ["board", "state"]
