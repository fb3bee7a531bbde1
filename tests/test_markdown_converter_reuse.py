"""render_markdown reuses one converter per thread: each text must come out as a fresh converter makes it,
whatever was converted before (no footnote, list or reference state carried over)."""

import markdown

from drafts.rendering import MARKDOWN_EXTENSIONS, _markdown_to_html

TEXTS = [
    "First [link][ref] and *emphasis*.\n\n[ref]: https://example.com/one",
    "Second uses [ref] again, which must not resolve to the first text's reference.",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "```\ncode\n```\n\n1. one\n2. two",
    "",
]


def test_each_text_converts_as_with_a_fresh_converter():
    for text in TEXTS + TEXTS[::-1]:
        assert _markdown_to_html(text) == markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS)
