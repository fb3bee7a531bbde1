"""Markdown to the text a platform shows: plain text with links kept, Slack's mrkdwn or Discord's Markdown.

The Markdown is parsed by markdown-it-py (CommonMark, tables and strikethrough), never by regexes, and the
syntax tree is written out in the platform's form. CommonMark needs a space after a heading's `#`, so a line
of hashtags stays a line of hashtags. Raw HTML is not interpreted: it goes out as the characters typed.
Pictures in the Markdown are left out: a draft's images travel as the platform's attachments.
"""

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from publishing.rendering import escaping

_parser = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


@dataclass(frozen=True)
class Link:
    """A link in the written text: characters [start, end) of it point at url (Bluesky makes it a facet)."""

    start: int
    end: int
    url: str


@dataclass(frozen=True)
class Style:
    """How one platform writes emphasis, links, list markers and code."""

    name: str
    strong: str = ""  # written around bold text (empty: emphasis is dropped)
    em: str = ""
    strike: str = ""
    code: str = ""
    fence: tuple[str, str] = ("", "")
    bullet: str = "• "
    quote: str = ""  # written at the start of each line of a quotation
    heading: str = "plain"  # plain | strong | hashes
    link: str = "text-url"  # text-url: "text https://..." | text-only (links recorded) | slack | markdown

    def escape(self, text: str) -> str:
        """Any text, code included: Slack's three control characters as entities."""
        return escaping.slack_control(text) if self.name == "slack" else text

    def literal(self, text: str, *, line_start: bool = False, in_link: bool = False) -> str:
        """Text that was plain characters in the Markdown, written so that the platform formats none of it."""
        if self.name == "discord":
            return escaping.discord_literal(text, line_start=line_start, in_link=in_link)
        return self.escape(text)


PLAIN = Style("plain")
# Bluesky links the visible words with a facet, so the URL itself need not be written out.
LINKED_TEXT = Style("linked", link="text-only")
SLACK = Style(
    "slack",
    strong="*",
    em="_",
    strike="~",
    code="`",
    fence=("```\n", "\n```"),
    quote="> ",
    heading="strong",
    link="slack",
)
DISCORD = Style(
    "discord",
    strong="**",
    em="*",
    strike="~~",
    code="`",
    fence=("```\n", "\n```"),
    bullet="- ",
    quote="> ",
    heading="hashes",
    link="markdown",
)


@dataclass
class Written:
    text: str
    links: list[Link] = field(default_factory=list)


def write(markdown: str, style: Style = PLAIN) -> Written:
    """The Markdown written in `style`: blocks apart by a blank line, list items one a line."""
    writer = _Writer(style)
    writer.blocks(SyntaxTreeNode(_parser.parse(markdown or "")).children)
    return Written(writer.result(), writer.links)


def plain_text(markdown: str) -> str:
    return write(markdown, PLAIN).text


class _Writer:
    def __init__(self, style: Style) -> None:
        self.style = style
        self.parts: list[str] = []
        self.size = 0  # characters written so far
        self.links: list[Link] = []
        self.gap = 0  # newlines owed before the next content
        self.prefixes: list[str] = []  # line prefixes of the open quotations
        self.marker = ""  # a list item's marker, written before its first content

    # --- Output ---------------------------------------------------------------------------------------

    def _emit(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)

    def put(self, text: str) -> None:
        """Content: first the newlines owed (each followed by the quotation prefix), then the item marker."""
        if not text:
            return
        if self.gap and self.size:
            self._emit("\n" * self.gap + "".join(self.prefixes))
        elif not self.size and self.prefixes:
            self._emit("".join(self.prefixes))
        self.gap = 0
        if self.marker:
            self._emit(self.marker)
            self.marker = ""
        self._emit(text)

    def at_line_start(self) -> bool:
        """Whether the next content begins a line of the message (after any quotation prefix)."""
        return not self.marker and (self.size == 0 or self.gap > 0)

    def newline(self) -> None:
        self.gap = max(self.gap, 1)

    def block_break(self, blank: bool) -> None:
        self.gap = max(self.gap, 2 if blank else 1)

    def result(self) -> str:
        return "\n".join(line.rstrip() for line in "".join(self.parts).split("\n")).strip("\n")

    # --- Blocks ---------------------------------------------------------------------------------------

    def blocks(self, nodes, *, tight: bool = False, depth: int = 0) -> None:
        for node in nodes:
            self.block(node, tight=tight, depth=depth)

    def block(self, node: SyntaxTreeNode, *, tight: bool, depth: int) -> None:
        kind = node.type
        self.block_break(blank=not tight)
        if kind == "paragraph":
            self.inlines(node.children)
        elif kind == "heading":
            self.heading(node)
        elif kind in ("bullet_list", "ordered_list"):
            self.list(node, depth=depth)
        elif kind == "blockquote":
            self.prefixes.append(self.style.quote)
            self.blocks(node.children, depth=depth)
            self.prefixes.pop()
        elif kind in ("fence", "code_block"):
            opening, closing = self.style.fence
            code = node.content.rstrip("\n")
            if code:
                self.put(opening + self.style.escape(code) + closing)
        elif kind == "table":
            self.table(node)
        elif kind == "hr":
            pass  # a separator: the blank line around it is enough
        else:
            self.inlines(node.children)

    def heading(self, node: SyntaxTreeNode) -> None:
        level = int(node.tag[1:])
        how = self.style.heading
        if how == "hashes" and level <= 3:
            self.put("#" * level + " ")
            self.inlines(node.children)
        elif how in ("strong", "hashes"):
            self._wrapped(self.style.strong, node.children)
        else:
            self.inlines(node.children)

    def list(self, node: SyntaxTreeNode, *, depth: int) -> None:
        number = int(node.attrs.get("start", 1) or 1) if node.type == "ordered_list" else None
        tight = all(
            getattr(child.token, "hidden", False) or child.type != "paragraph"
            for item in node.children
            for child in item.children
        )
        for item in node.children:
            self.newline()
            marker = f"{number}. " if number is not None else self.style.bullet
            self.marker = "  " * depth + marker
            for position, child in enumerate(item.children):
                if child.type in ("bullet_list", "ordered_list"):
                    self.list(child, depth=depth + 1)
                else:
                    self.block(child, tight=tight or position == 0, depth=depth + 1)
            self.marker = ""
            if number is not None:
                number += 1

    def table(self, node: SyntaxTreeNode) -> None:
        for section in node.children:
            for row in section.children:
                self.newline()
                for position, cell in enumerate(row.children):
                    if position:
                        self.put(" | ")
                    self.inlines(cell.children)

    # --- Inlines --------------------------------------------------------------------------------------

    def inlines(self, nodes) -> None:
        for node in nodes:
            self.inline(node)

    def inline(self, node: SyntaxTreeNode) -> None:
        kind = node.type
        style = self.style
        if kind == "inline":
            self.inlines(node.children)
        elif kind == "text":
            self.put(style.literal(node.content, line_start=self.at_line_start()))
        elif kind in ("softbreak", "hardbreak"):
            # A line break the author typed is kept: posts are written line by line.
            self.newline()
        elif kind == "code_inline":
            self.put(_code_span(style, node.content))
        elif kind == "strong":
            self._wrapped(style.strong, node.children)
        elif kind == "em":
            self._wrapped(style.em, node.children)
        elif kind == "s":
            self._wrapped(style.strike, node.children)
        elif kind == "link":
            self.link(node)
        elif kind == "image":
            pass  # images go as attachments
        else:
            self.inlines(node.children)

    def _wrapped(self, mark: str, children) -> None:
        if not mark:
            self.inlines(children)
            return
        text = _flat(children)
        if text.strip():
            self.put(mark + self.style.literal(text) + mark)

    def link(self, node: SyntaxTreeNode) -> None:
        url = str(node.attrs.get("href", ""))
        text = _flat(node.children)
        how = self.style.link
        shown = url.removeprefix("mailto:")
        if not text.strip():
            text = shown
        if how == "slack":
            address = escaping.slack_link_url(url)
            self.put(f"<{address}|{self.style.escape(text)}>" if text != shown else f"<{address}>")
        elif how == "markdown":
            words = self.style.literal(text, in_link=True)
            self.put(f"[{words}]({escaping.discord_link_url(url)})" if text != shown else url)
        elif how == "text-only":
            self.put(text)
            if url.startswith(("http://", "https://")) and text:
                self.links.append(Link(self.size - len(text), self.size, url))
        else:
            same = text in (url, shown) or "://" + text in url and url.endswith(text)
            self.put(shown if same else f"{text} {shown}")


def _code_span(style: Style, code: str) -> str:
    """Inline code: its characters are literal already; a backtick inside needs a longer fence."""
    if not style.code or style.code not in code:
        return style.code + style.escape(code) + style.code
    fence = style.code * 2
    return f"{fence} {style.escape(code)} {fence}"


def _flat(nodes) -> str:
    """The words of inline nodes with their syntax dropped (link text, emphasised text)."""
    out = []
    for node in nodes:
        if node.type in ("text", "code_inline"):
            out.append(node.content)
        elif node.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif node.type != "image":
            out.append(_flat(node.children))
    return "".join(out)
