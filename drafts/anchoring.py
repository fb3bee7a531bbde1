"""Where a comment's passage is in the draft's text now (W3C TextQuoteSelector-style anchoring).

A comment on a passage keeps the exact quote and up to CONTEXT_CHARS of text before and after it, taken
from the body's rendered text (what the reader selected: the text content of the rendered Markdown, the
same string the browser's Range.toString() gives inside the draft's text). When the text changes, the
passage is found again: the exact quote if it is still there (the context and the old position choosing
between repeats), else diff-match-patch's fuzzy match_main for a lightly edited passage, else it is gone.
"""

from dataclasses import dataclass
from typing import Literal

from diff_match_patch import diff_match_patch
from lxml import html as lxml_html

from drafts.rendering import render_markdown

CONTEXT_CHARS = 32
QUOTE_MAX_CHARS = 1_000
# A fuzzy match is the passage only if at most this share of it was edited: beyond that, it is another text.
FUZZY_MAX_EDIT_SHARE = 0.3

Status = Literal["exact", "edited", "gone"]


@dataclass(frozen=True)
class Anchor:
    status: Status
    start: int | None = None
    end: int | None = None

    @property
    def found(self) -> bool:
        return self.status != "gone"


def body_text(body: str) -> str:
    """The text a reader selects in, for this Markdown body: the rendered HTML's text content."""
    return rendered_text(render_markdown(body))


def rendered_text(rendered: str) -> str:
    if not rendered.strip():
        return ""
    return lxml_html.fragment_fromstring(rendered, create_parent="div").text_content()


def context_around(text: str, start: int, end: int) -> tuple[str, str]:
    return text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


def locate(text: str, *, quote: str, prefix: str = "", suffix: str = "", position: int | None = None) -> Anchor:
    """Where `quote` is in `text` now."""
    if not quote or not text:
        return Anchor("gone")
    starts = _occurrences(text, quote)
    if starts:
        start = max(starts, key=lambda s: _context_score(text, s, quote, prefix, suffix, position))
        return Anchor("exact", start, start + len(quote))
    return _fuzzy(text, quote, suffix, position)


def _occurrences(text: str, quote: str) -> list[int]:
    starts, at = [], text.find(quote)
    while at != -1:
        starts.append(at)
        at = text.find(quote, at + 1)
    return starts


def _context_score(text: str, start: int, quote: str, prefix: str, suffix: str, position: int | None):
    """Longer agreeing context wins; then nearness to where the passage was."""
    before = text[max(0, start - len(prefix)) : start]
    after = text[start + len(quote) : start + len(quote) + len(suffix)]
    agreeing = _common_suffix(before, prefix) + _common_prefix(after, suffix)
    distance = abs(start - position) if position is not None else 0
    return (agreeing, -distance)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


def _matcher() -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Match_MaxBits = 0  # Python's integers are unbounded: patterns longer than 32 characters work
    dmp.Match_Threshold = 0.4
    dmp.Match_Distance = 10_000  # the passage may have moved far
    return dmp


def _fuzzy(text: str, quote: str, suffix: str, position: int | None) -> Anchor:
    dmp = _matcher()
    guess = min(position if position is not None else 0, len(text))
    start = dmp.match_main(text, quote, guess)
    if start == -1:
        return Anchor("gone")
    ends = [_end_by_suffix(text, start, quote, suffix), _end_by_reversed_quote(dmp, text, start, quote)]
    for end in ends:
        if end is not None and end > start and _edited_share(dmp, quote, text[start:end]) <= FUZZY_MAX_EDIT_SHARE:
            return Anchor("edited", start, end)
    return Anchor("gone")


def _edited_share(dmp: diff_match_patch, quote: str, found: str) -> float:
    """How much of the passage differs: edits over the longer of the two (a word added inside counts fairly)."""
    return dmp.diff_levenshtein(dmp.diff_main(quote, found)) / max(len(quote), len(found))


def _end_by_suffix(text: str, start: int, quote: str, suffix: str) -> int | None:
    """Where the text that followed the passage begins now: the passage's end when words were added inside it."""
    probe = suffix[:16]
    if len(probe.strip()) < 4:
        return None
    at = text.find(probe, start + 1, start + 2 * len(quote) + len(probe) + CONTEXT_CHARS)
    return at if at > start else None


def _end_by_reversed_quote(dmp: diff_match_patch, text: str, start: int, quote: str) -> int | None:
    """Matching the reversed quote in the reversed text finds where the passage ends (an edit near its end
    would otherwise pull the end off)."""
    expected_end = min(len(text), start + len(quote))
    reversed_start = dmp.match_main(text[::-1], quote[::-1], len(text) - expected_end)
    return None if reversed_start == -1 else len(text) - reversed_start
