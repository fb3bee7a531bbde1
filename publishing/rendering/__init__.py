"""What you approve is what ships: the one place that turns a draft into what each platform is sent.

formats.py says, per channel kind, what the Markdown becomes (plain text with links, Bluesky's text and
facets, Slack mrkdwn, Discord Markdown, HTML); variants.py which text applies to a channel; previews.py
measures the result the platform's way and lists what the platform would refuse (the adapters' validate()).
The pipeline builds every Post from formats.py, so a preview and a publication cannot differ.
"""

from publishing.rendering.formats import FORMATS, Formatted, format_for
from publishing.rendering.variants import channel_key, kind_key, markdown_for, variant_for

__all__ = ["FORMATS", "Formatted", "channel_key", "format_for", "kind_key", "markdown_for", "variant_for"]
