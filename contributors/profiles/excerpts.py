import html

from django.utils.html import strip_tags
from django.utils.text import Truncator

from drafts.rendering import render_markdown


def piece_excerpt(body: str, *, words: int = 40) -> str:
    """Plain text of the sanitized rendering, shortened; templates and JSON escape it like any text."""
    return Truncator(html.unescape(strip_tags(render_markdown(body)))).words(words, truncate=" …")
