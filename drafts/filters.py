import django_filters

from cocreate.api import IdFilter
from drafts.models import Draft, DraftState


class DraftFilter(django_filters.FilterSet):
    board = IdFilter(field_name="board_id")
    state = django_filters.ChoiceFilter(choices=DraftState.choices)
    pillar = IdFilter(field_name="pillars", help_text="Only the drafts in this content pillar (its id).")

    class Meta:
        model = Draft
        fields = ["board", "state", "pillar"]
