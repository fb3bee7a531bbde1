"""One Markdown dialect in the app: the HTML (drafts.rendering: pages, WordPress, e-mail) and the platforms'
text (publishing.rendering.text) are both CommonMark by markdown-it-py, so they agree on what is a heading,
a line break or raw HTML."""

import pytest

from drafts.rendering import render_markdown
from publishing.rendering import format_for
from publishing.rendering.text import plain_text


def test_a_line_of_hashtags_is_a_paragraph_not_a_heading_in_html_as_in_text():
    assert render_markdown("#launch #CoCreate") == "<p>#launch #CoCreate</p>"
    assert plain_text("#launch #CoCreate") == "#launch #CoCreate"
    assert "<h1>" not in format_for("wordpress", "Big news\n\n#launch").html


def test_a_hash_and_a_space_is_still_a_heading():
    assert render_markdown("# Launch") == "<h1>Launch</h1>"


def test_a_line_break_typed_is_a_line_break_in_html_as_in_every_platforms_text():
    assert render_markdown("First line\nsecond line") == "<p>First line<br>\nsecond line</p>"
    assert plain_text("First line\nsecond line") == "First line\nsecond line"


@pytest.mark.parametrize(
    "markdown",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "<javascript:alert(1)>",
    ],
)
def test_a_script_link_stays_words(markdown):
    html = render_markdown(markdown)
    assert "<a" not in html
    assert "href" not in html


@pytest.mark.parametrize(
    ("markdown", "shown"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('<img src="https://tracker.example/p.gif" onerror="x()">', '&lt;img src="https://tracker.example'),
        ("<b>bold</b>", "&lt;b&gt;bold&lt;/b&gt;"),
    ],
)
def test_raw_html_shows_as_the_characters_typed_as_the_platforms_get_it(markdown, shown):
    html = render_markdown(markdown)
    assert shown in html
    for tag in ("<script", "<img", "<b>"):
        assert tag not in html
    assert plain_text(markdown) == markdown


def test_strikethrough_and_tables_render_in_html_as_the_text_renderer_reads_them():
    html = render_markdown("~~old~~ new\n\n| a | b |\n|---|:-:|\n| 1 | 2 |")
    assert "<s>old</s> new" in html
    assert "<th>a</th>" in html
    assert "<td>2</td>" in html
    assert "style=" not in html  # the alignment attribute is dropped by the sanitiser


def test_an_image_keeps_its_attributes_in_the_order_pages_and_posts_have_always_had():
    html = render_markdown('![A "chart"](/drafts/7/images/3/ "Q3")')
    assert html == '<p><img alt="A &quot;chart&quot;" src="/drafts/7/images/3/" title="Q3"></p>'
