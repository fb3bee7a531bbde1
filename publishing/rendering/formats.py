"""One format per channel kind: the draft's Markdown turned into what that platform is sent.

Social networks get plain text with links written out (Bluesky links the words with facets instead), Slack
its mrkdwn, Discord its Markdown, WordPress and e-mail sanitised HTML (e-mail with a plain-text part), and the
generic webhook its documented payload: the Markdown as written, and the HTML beside it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from drafts.rendering import render_markdown
from publishing.rendering import text as written
from publishing.rendering.facets import facets_for


@dataclass(frozen=True)
class Formatted:
    text: str
    html: str = ""
    extra: dict = field(default_factory=dict)


def plain(markdown: str) -> Formatted:
    return Formatted(written.plain_text(markdown))


def bluesky(markdown: str) -> Formatted:
    result = written.write(markdown, written.LINKED_TEXT)
    facets = facets_for(result.text, result.links)
    return Formatted(result.text, extra={"facets": facets} if facets else {})


def slack(markdown: str) -> Formatted:
    return Formatted(written.write(markdown, written.SLACK).text)


def discord(markdown: str) -> Formatted:
    return Formatted(written.write(markdown, written.DISCORD).text)


def html(markdown: str) -> Formatted:
    # Published posts keep the pictures their author put in them (drafts.rendering explains the exception).
    return Formatted(written.plain_text(markdown), html=render_markdown(markdown, link_outside_images=False))


def webhook(markdown: str) -> Formatted:
    return Formatted(markdown, html=render_markdown(markdown, link_outside_images=False))


FORMATS: dict[str, Callable[[str], Formatted]] = {
    "mastodon": plain,
    "linkedin": plain,
    "x": plain,
    "facebook": plain,
    "pinterest": plain,
    "bluesky": bluesky,
    "slack": slack,
    "discord": discord,
    "wordpress": html,
    "email": html,
    "webhook": webhook,
}


def format_for(kind: str, markdown: str) -> Formatted:
    """What a channel of `kind` is sent for this Markdown; an unknown kind gets plain text."""
    return FORMATS.get(kind, plain)(markdown)
