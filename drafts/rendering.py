"""Markdown to the HTML people see in the app and WordPress and e-mail are sent: the same CommonMark parser as
the platforms' text (publishing/rendering/text.py), so a `#launch` line is a line of hashtags everywhere and a
line break typed is a line break everywhere. Raw HTML is not interpreted: it shows as the characters typed."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3
from django.urls import Resolver404, resolve
from django.utils.html import format_html
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "s",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
LINK_REL = "noopener noreferrer nofollow"
# Images the app serves itself (a draft's uploads, behind the draft's permissions) stay images.
OWN_IMAGE_URL_NAMES = {"draft-image"}
# publishing/rendering/text.py's dialect: CommonMark with tables and strikethrough, raw HTML as text. A single
# newline is a line break (<br>) as it is in every platform's text. markdown-it refuses javascript:, vbscript:,
# file: and data: links by itself; nh3 below is the second lock.
_parser = MarkdownIt("commonmark", {"html": False, "breaks": True}).enable(["table", "strikethrough"])


def _image(renderer, tokens, idx, options, env) -> str:
    """<img alt src title>: the attributes in the order the app has always written them."""
    token = tokens[idx]
    alt = renderer.renderInlineAsText(token.children or [], options, env)
    title = token.attrGet("title")
    title_attr = f' title="{escapeHtml(str(title))}"' if title else ""
    return f'<img alt="{escapeHtml(alt)}" src="{escapeHtml(str(token.attrGet("src") or ""))}"{title_attr}>'


_parser.add_render_rule("image", _image)


def render_markdown(text: str, *, link_outside_images: bool = True) -> str:
    """Markdown to HTML that is safe to show: contributors are outsiders, so nothing executable survives.

    An image from anywhere but the app becomes a link to it: showing it would make every reader's browser
    call that host, which tells whoever runs it who read the draft and when. Publishing adapters pass
    `link_outside_images=False`: a published post shows the images its author put in it.
    """
    html = _parser.render(text or "").rstrip("\n")
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "img": {"src", "alt", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
    )
    return _outside_images_to_links(html) if link_outside_images else html


def is_own_image(src: str) -> bool:
    parts = urlsplit(src)
    if parts.scheme or parts.netloc:
        return False
    try:
        return resolve(parts.path).url_name in OWN_IMAGE_URL_NAMES
    except Resolver404:
        return False


def image_link(src: str, alt: str) -> str:
    host = urlsplit(src).hostname or "this site"
    text = f"Image: {alt} ({host})" if alt else f"Image ({host})"
    return format_html('<a href="{}" rel="{}" target="_blank">{}</a>', src, LINK_REL, text)


def _outside_images_to_links(html: str) -> str:
    rewriter = _ImageRewriter()
    rewriter.feed(html)
    rewriter.close()
    return "".join(rewriter.out)


class _ImageRewriter(HTMLParser):
    """Copies nh3's output through unchanged, except for <img> tags whose source is outside the app.

    It runs on nh3's serialisation (well-formed, attributes quoted and escaped), so the parser and the
    markup agree; character references are passed through as they are (convert_charrefs=False).
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or ""
        if tag == "img":
            values = {name: value or "" for name, value in attrs}
            src = values.get("src", "")
            if src and not is_own_image(src):
                raw = image_link(src, values.get("alt", ""))
        self.out.append(raw)

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")


def link_outside_images(html: str) -> str:
    """Sanitised HTML (render_markdown's) with outside images shown as links, for a page that previews it."""
    return _outside_images_to_links(html)
