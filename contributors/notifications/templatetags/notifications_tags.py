"""{{ when|ago }}: a relative time ("5 min ago", "yesterday") in a <time> whose title is the exact UTC time.
{{ count|bell_count }}: the bell's number ("3", "99+")."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html

from contributors.notifications.selectors import BELL_COUNT_CAP
from contributors.templatetags.zoned import zoned_words

register = template.Library()


def ago_words(value: datetime, now: datetime | None = None) -> str:
    seconds = max(0, int(((now or timezone.now()) - value).total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours > 1 else ''} ago"
    days = seconds // 86400
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    local = value.astimezone(timezone.get_current_timezone())
    return local.strftime("%-d %b %Y") if days > 300 else local.strftime("%-d %b")


@register.filter
def ago(value, zone="UTC"):
    if not isinstance(value, datetime):
        return ""
    return format_html(
        '<time datetime="{}" title="{}">{}</time>', value.isoformat(), zoned_words(value, zone), ago_words(value)
    )


@register.filter
def bell_count(count) -> str:
    count = int(count or 0)
    return f"{BELL_COUNT_CAP - 1}+" if count >= BELL_COUNT_CAP else str(count)
