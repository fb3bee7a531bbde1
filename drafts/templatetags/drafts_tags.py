from django import template
from django.utils.safestring import mark_safe

from drafts.rendering import render_markdown
from drafts.steps import past_tense

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitized by nh3 in render_markdown


@register.filter
def humanize_transition(name: str) -> str:
    """How the history names an event (its step's past tense, from drafts.steps)."""
    return past_tense(name)


@register.filter
def get_item(mapping, key):
    """mapping[key], or None (a template cannot subscript)."""
    return mapping.get(key) if mapping else None
