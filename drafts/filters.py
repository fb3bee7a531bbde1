import django_filters

from drafts.models import Draft, DraftState


class DraftFilter(django_filters.FilterSet):
    board = django_filters.NumberFilter(field_name="board_id")
    state = django_filters.ChoiceFilter(choices=DraftState.choices)

    class Meta:
        model = Draft
        fields = ["board", "state"]
