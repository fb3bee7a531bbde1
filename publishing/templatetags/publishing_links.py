from django import template

from publishing.links import http_url

register = template.Library()


@register.filter
def http_link(value) -> str:
    """The URL when it may be a link (http or https), else "": rows stored before the check, or edited
    outside the app, never become a live `javascript:` link."""
    return http_url(value)
