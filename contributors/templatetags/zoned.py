"""Times shown in a board's time zone, always with the zone's name: never an unlabelled UTC time.

{{ draft.publish_at|zoned:draft.board }}         -> <time datetime="2026-12-02T08:00:00+00:00"
                                                    title="Europe/Copenhagen">2 Dec 2026, 09:00 CET</time>
{{ event.created_at|zoned:board.time_zone }}     (a board or a time zone name)
{{ value|zoned_text:board }}                     the same words without the <time> element (e-mails,
                                                    attributes)
"""

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import template
from django.utils.html import format_html

register = template.Library()

FORMAT = "%-d %b %Y, %H:%M"


def zone_of(board_or_name) -> ZoneInfo:
    """The board's zone (or the named one); UTC for an empty or unknown name."""
    name = getattr(board_or_name, "time_zone", board_or_name) or "UTC"
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def zoned_words(value: datetime, board_or_name) -> str:
    local = value.astimezone(zone_of(board_or_name))
    # %Z gives the abbreviation (CET, EST); zones without one give an offset such as "+04", kept as such.
    return f"{local.strftime(FORMAT)} {local.strftime('%Z') or 'UTC'}"


@register.filter
def zoned(value, board_or_name):
    if not isinstance(value, datetime):
        return ""
    zone = zone_of(board_or_name)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>', value.isoformat(), zone.key, zoned_words(value, zone.key)
    )


@register.filter
def zoned_text(value, board_or_name) -> str:
    return zoned_words(value, board_or_name) if isinstance(value, datetime) else ""
