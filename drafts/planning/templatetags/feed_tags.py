"""{% calendar_feed_url as url %}: the signed-in person's private calendar address (made the first time)."""

from django import template

from drafts.planning.feed_selectors import feed_url
from drafts.planning.feed_services import calendar_feed_for_user

register = template.Library()


@register.simple_tag(takes_context=True)
def calendar_feed_url(context) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return feed_url(calendar_feed_for_user(user=user))
