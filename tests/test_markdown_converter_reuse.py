"""render_markdown uses one parser for the whole process (building one per call would cost more than the
conversion): each text must come out on its own, with nothing of the text before carried over (reference
definitions, list or code state)."""

from drafts.rendering import render_markdown

FIRST = "First [link][ref] and *emphasis*.\n\n[ref]: https://example.com/one"
SECOND = "Second uses [link][ref] again, which must not resolve to the first text's reference."


def test_a_reference_defined_in_one_text_does_not_resolve_in_the_next():
    assert 'href="https://example.com/one"' in render_markdown(FIRST)
    second = render_markdown(SECOND)
    assert "href=" not in second
    assert "[link][ref]" in second


def test_an_unclosed_code_fence_ends_with_its_text():
    render_markdown("```\nnever closed")
    assert render_markdown("*emphasis*") == "<p><em>emphasis</em></p>"
