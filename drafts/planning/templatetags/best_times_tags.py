"""{% best_time_hints board as hints %}: the schedule form's hints, one per kind of the board's channels."""

from django import template

from drafts.planning.best_times import best_times_for_board

register = template.Library()


@register.simple_tag
def best_time_hints(board) -> list:
    return [hint for hint in best_times_for_board(board) if hint.hours]
