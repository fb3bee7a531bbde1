"""`{{ user|person }}`: a person's display name with their username, the one way pages name who did what.

Loaded as a built-in (settings.TEMPLATES), so templates need no {% load %}.
"""

from django import template

from contributors.profiles.people import person_html

register = template.Library()


@register.filter
def person(user) -> str:
    return person_html(user)
