"""Bluesky rich text: facets say which bytes of a post's text are a link or a hashtag.

Offsets count UTF-8 bytes (end exclusive), as app.bsky.richtext.facet requires. Link facets come from the
Markdown's links (the visible words point at the URL) and from bare URLs in the text; hashtags are found
the way Bluesky's own client finds them (a # after a space or the start, not only digits, at most 64
characters, trailing punctuation left out).
"""

import regex

from publishing.rendering.text import Link

URL_PATTERN = regex.compile(r"https?://[^\s<>\"]+")
TRAILING_PUNCTUATION = ".,;:!?)]}'\""
_INVISIBLE = "\u00ad\u2060\u200a\u200b\u200c\u200d\u20e2"
HASHTAG_PATTERN = regex.compile(
    rf"(?:^|(?<=\s))[#＃]((?!\ufe0f)[^\s{_INVISIBLE}]*[^\d\s\p{{P}}{_INVISIBLE}]+[^\s{_INVISIBLE}]*)"
)
MAX_TAG_LENGTH = 64


def _byte_index(text: str, char_index: int) -> int:
    return len(text[:char_index].encode("utf-8"))


def _facet(text: str, start: int, end: int, feature: dict) -> dict:
    return {"index": {"byteStart": _byte_index(text, start), "byteEnd": _byte_index(text, end)}, "features": [feature]}


def facets_for(text: str, links: list[Link]) -> list[dict]:
    """Link and hashtag facets of `text`, in text order; `links` are the Markdown links written into it."""
    spans: list[tuple[int, int, dict]] = [
        (link.start, link.end, {"$type": "app.bsky.richtext.facet#link", "uri": link.url}) for link in links
    ]

    def free(start: int, end: int) -> bool:
        return all(end <= taken_start or start >= taken_end for taken_start, taken_end, _ in spans)

    for match in URL_PATTERN.finditer(text):
        url = match.group(0).rstrip(TRAILING_PUNCTUATION)
        start, end = match.start(), match.start() + len(url)
        if free(start, end):
            spans.append((start, end, {"$type": "app.bsky.richtext.facet#link", "uri": url}))
    for match in HASHTAG_PATTERN.finditer(text):
        tag = match.group(1).rstrip(TRAILING_PUNCTUATION)
        start = match.start()  # the # itself is part of the facet
        end = match.start(1) + len(tag)
        if tag and len(tag) <= MAX_TAG_LENGTH and free(start, end):
            spans.append((start, end, {"$type": "app.bsky.richtext.facet#tag", "tag": tag}))
    return [_facet(text, start, end, feature) for start, end, feature in sorted(spans, key=lambda span: span[0])]
