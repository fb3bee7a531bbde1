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


@register.filter
def webcal(address: str) -> str:
    """The same address with the webcal: scheme, which calendar apps open as a subscription."""
    for scheme in ("https://", "http://"):
        if address.startswith(scheme):
            return "webcal://" + address[len(scheme) :]
    return address
