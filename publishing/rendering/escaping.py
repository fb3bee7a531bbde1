"""Text that was literal in the draft's Markdown stays literal on Slack and Discord.

Slack's mrkdwn gives three characters a meaning (`&`, `<`, `>`: `<!channel>`, `<@U123>`, `<url|text>`), which
are written as entities everywhere, links' addresses included; a `|` in an address would end it early, so it
is percent-encoded. Slack has no way to escape `*`, `_` or `~`.

Discord reads its own Markdown: a `*`, `_`, `~`, `` ` ``, `|` (spoilers) or `\\` the author wrote as a
character (`snake_case`, `2*3*4`, an escaped `\\*`) is sent with a backslash, so it shows as typed and formats
nothing; a line that only looks like a heading, quotation or list item (`\\# not a heading` in the source) gets
a backslash before its marker. Bare web addresses are left alone: Discord links them before it reads Markdown,
and a backslash would become part of the address.
"""

import re

_SLACK_CONTROL = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})

_DISCORD_SPECIAL = re.compile(r"([\\*_~`|])")
_BARE_URL = re.compile(r"https?://[^\s<>]+")
# What makes a line a heading, subtext, quotation or list item in Discord, at the start of a line.
_DISCORD_LINE_MARKER = re.compile(r"^(?:(#{1,3}|-#|>>>|>|[-*+])|(\d+)([.)]))(?=\s)")
_LINK_URL_PARENS = str.maketrans({"(": "%28", ")": "%29"})


def slack_control(text: str) -> str:
    return text.translate(_SLACK_CONTROL)


def slack_link_url(url: str) -> str:
    return slack_control(url.replace("|", "%7C"))


def discord_literal(text: str, *, line_start: bool = False, in_link: bool = False) -> str:
    """`text` as Discord shows it unformatted. line_start: the text begins a line of the message. in_link: the
    words of a masked link ([words](url)), where brackets would end the words early."""
    out = []
    position = 0
    for url in _BARE_URL.finditer(text):
        out.append(_discord_characters(text[position : url.start()], in_link=in_link))
        out.append(url.group(0))
        position = url.end()
    out.append(_discord_characters(text[position:], in_link=in_link))
    written = "".join(out)
    return _discord_line_start(written) if line_start else written


def discord_link_url(url: str) -> str:
    """An address inside a masked link: its parentheses would close the link early."""
    return url.translate(_LINK_URL_PARENS)


def _discord_characters(text: str, *, in_link: bool) -> str:
    text = _DISCORD_SPECIAL.sub(r"\\\1", text)
    if in_link:
        return text.replace("[", "\\[").replace("]", "\\]")
    # "[words](url)" written as characters would become a masked link: its bracket is escaped.
    return re.sub(r"\[(?=[^\]]*\]\()", r"\\[", text)


def _discord_line_start(text: str) -> str:
    match = _DISCORD_LINE_MARKER.match(text)
    if match is None:
        return text
    if match.group(2) is not None:  # "2026. What a year": the full stop after the number
        return f"{match.group(2)}\\{match.group(3)}{text[match.end() :]}"
    return "\\" + text
