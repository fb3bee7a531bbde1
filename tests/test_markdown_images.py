"""Images in Markdown: only the app's own images are shown; an outside image becomes a link to it.

Showing an outside image would make every reviewer's browser call its host, which tells whoever runs it
who read the draft and when (and the Content-Security-Policy's img-src would block it anyway).
"""

import pytest

from drafts.rendering import render_markdown
from tests.factories import attach_image, make_draft

REL = 'rel="noopener noreferrer nofollow"'


def test_it_turns_an_outside_image_into_a_link_naming_its_host():
    html = render_markdown("![Sales chart](https://tracker.example/chart.png?reader=1&x=2)")
    assert "<img" not in html
    assert (
        f'<a href="https://tracker.example/chart.png?reader=1&amp;x=2" {REL} target="_blank">'
        "Image: Sales chart (tracker.example)</a>"
    ) in html


@pytest.mark.parametrize(
    "markdown",
    [
        "![](//tracker.example/pixel.gif)",  # scheme-relative
        "![x](HTTP://TRACKER.EXAMPLE/pixel.gif)",
        "![a](https://tracker.example/a.gif)![b](https://tracker.example/b.gif)",
    ],
)
def test_no_outside_image_survives(markdown):
    html = render_markdown(markdown)
    assert "<img" not in html
    assert "tracker.example" in html
    assert target_blank_links(html) >= 1


def target_blank_links(html: str) -> int:
    return html.count(f'{REL} target="_blank"')


def test_it_escapes_the_alt_text_in_the_link():
    html = render_markdown('![a "b" <i>c</i> & d>e](https://cdn.example/x.png)')
    assert "Image: a &quot;b&quot; &lt;i&gt;c&lt;/i&gt; &amp; d&gt;e (cdn.example)" in html
    assert "<i>" not in html


def test_it_keeps_the_drafts_own_images():
    html = render_markdown("![Our logo](/drafts/7/images/3/)")
    assert '<img alt="Our logo" src="/drafts/7/images/3/">' in html


def test_a_relative_image_that_is_not_one_of_ours_becomes_a_link():
    html = render_markdown("![x](/admin/logout/) ![y](pixel.gif)")
    assert "<img" not in html
    assert "Image: x (this site)" in html
    assert "Image: y (this site)" in html


def test_it_leaves_the_rest_of_the_markup_as_it_was():
    text = '# Title &amp; more\n\nSome `<code>` & **bold** ©\n\n```\n<img src="https://x.example/">\n```'
    assert render_markdown(text) == render_markdown(text, link_outside_images=False)


def test_published_posts_keep_their_images():
    html = render_markdown("![chart](https://cdn.example/chart.png)", link_outside_images=False)
    assert '<img alt="chart" src="https://cdn.example/chart.png">' in html


def test_the_draft_page_shows_own_images_and_links_outside_ones(personas, web_client_for):
    draft = make_draft(personas.board, personas.contributor, title="With pictures")
    image = attach_image(draft)
    own = f"/drafts/{draft.pk}/images/{image.pk}/"
    draft.body = f"![logo]({own})\n\n![pixel](https://tracker.example/p.gif)"
    draft.save(update_fields=["body"])

    page = web_client_for("reviewer").get(f"/drafts/{draft.pk}/").content.decode()
    body = page[page.index('<article class="body">') :]
    body = body[: body.index("</article>")]

    assert f'<img alt="logo" src="{own}">' in body
    assert "https://tracker.example/p.gif" in body
    assert "Image: pixel (tracker.example)" in body
    assert '<img alt="pixel"' not in body
