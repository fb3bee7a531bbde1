"""{{ note|day_range }}: a note's days as people write them ("Sat 12 – Wed 16 Dec 2026"); {{ note|day_count }}."""

from django import template
from django.utils.dateformat import format as date_format

register = template.Library()


@register.filter
def day_range(note) -> str:
    first, last = note.starts_on, note.ends_on
    if first == last:
        return date_format(first, "D j M Y")
    if (first.year, first.month) == (last.year, last.month):
        start = date_format(first, "D j")
    elif first.year == last.year:
        start = date_format(first, "D j M")
    else:
        start = date_format(first, "D j M Y")
    return f"{start} – {date_format(last, 'D j M Y')}"


@register.filter
def day_count(note) -> int:
    return (note.ends_on - note.starts_on).days + 1
