"""What each platform is sent for one Markdown body (publishing.rendering): bold, a link, a list, a heading,
an image and hashtags, written the platform's way; Bluesky's facets in UTF-8 bytes; X's weighted length."""

import pytest

from publishing.adapters.x import weighted_length
from publishing.rendering import format_for, markdown_for, variant_for
from publishing.rendering.text import plain_text

BODY = """## Meet the planner

Plan **the planner** way: [try today](https://example.com/try?ref=a).

- Pick a day
- Share it

![A calendar](https://img.example/cal.png)

#launch #CoCreate"""

PLAIN = """Meet the planner

Plan the planner way: try today https://example.com/try?ref=a.

• Pick a day
• Share it

#launch #CoCreate"""


@pytest.mark.parametrize("kind", ["mastodon", "linkedin", "x", "facebook", "pinterest"])
def test_social_networks_get_plain_text_with_the_links_written_out(kind):
    rendered = format_for(kind, BODY)
    assert rendered.text == PLAIN
    assert (rendered.html, rendered.extra) == ("", {})


def test_bluesky_gets_the_linked_words_and_facets_for_the_link_and_each_hashtag():
    rendered = format_for("bluesky", BODY)
    assert rendered.text == PLAIN.replace("try today https://example.com/try?ref=a", "try today")
    data = rendered.text.encode()
    facets = rendered.extra["facets"]
    spans = [(data[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode(), f["features"][0]) for f in facets]
    assert spans == [
        ("try today", {"$type": "app.bsky.richtext.facet#link", "uri": "https://example.com/try?ref=a"}),
        ("#launch", {"$type": "app.bsky.richtext.facet#tag", "tag": "launch"}),
        ("#CoCreate", {"$type": "app.bsky.richtext.facet#tag", "tag": "CoCreate"}),
    ]


def test_bluesky_facet_offsets_count_utf8_bytes_after_accents_and_emoji():
    rendered = format_for("bluesky", "Café ☕ 👩🏽‍💻 [à voir](https://ex.org/é) et https://ex.org/b. #été")
    facets = rendered.extra["facets"]
    text = rendered.text
    assert text == "Café ☕ 👩🏽‍💻 à voir et https://ex.org/b. #été"
    starts = [text.encode()[: f["index"]["byteStart"]].decode() for f in facets]
    assert starts == ["Café ☕ 👩🏽‍💻 ", "Café ☕ 👩🏽‍💻 à voir et ", "Café ☕ 👩🏽‍💻 à voir et https://ex.org/b. "]
    assert [f["index"]["byteEnd"] - f["index"]["byteStart"] for f in facets] == [
        len("à voir".encode()),
        len(b"https://ex.org/b"),  # the full stop after a bare URL is not part of it
        len("#été".encode()),
    ]
    assert facets[2]["features"] == [{"$type": "app.bsky.richtext.facet#tag", "tag": "été"}]


def test_a_number_is_no_hashtag_and_a_hash_inside_a_word_is_none_either():
    assert format_for("bluesky", "Issue #42 and C#sharp").extra == {}


def test_slack_gets_mrkdwn_with_its_link_form_and_escapes():
    rendered = format_for("slack", BODY + "\n\nA < B & C")
    assert rendered.text == (
        "*Meet the planner*\n\nPlan *the planner* way: <https://example.com/try?ref=a|try today>.\n\n"
        "• Pick a day\n• Share it\n\n#launch #CoCreate\n\nA &lt; B &amp; C"
    )


def test_discord_gets_its_markdown_without_the_image():
    assert format_for("discord", BODY).text == (
        "## Meet the planner\n\nPlan **the planner** way: [try today](https://example.com/try?ref=a).\n\n"
        "- Pick a day\n- Share it\n\n#launch #CoCreate"
    )


@pytest.mark.parametrize("kind", ["wordpress", "email"])
def test_blog_and_newsletter_get_sanitised_html_with_the_image_and_a_plain_text_part(kind):
    rendered = format_for(kind, BODY + "\n\n<script>alert(1)</script>")
    assert rendered.text.startswith(PLAIN)
    assert "<h2>Meet the planner</h2>" in rendered.html
    assert "<strong>the planner</strong>" in rendered.html
    assert '<a href="https://example.com/try?ref=a" rel="noopener noreferrer nofollow">try today</a>' in rendered.html
    assert "<li>Pick a day</li>" in rendered.html
    assert '<img alt="A calendar" src="https://img.example/cal.png">' in rendered.html  # published posts keep it
    assert "<script" not in rendered.html


def test_the_webhook_gets_its_documented_payload_the_markdown_and_its_html():
    rendered = format_for("webhook", BODY)
    assert rendered.text == BODY
    assert "<strong>the planner</strong>" in rendered.html


def test_a_line_of_hashtags_stays_text_and_typed_line_breaks_stay():
    assert plain_text("#launch #news\nSecond line\n\n1. one\n2. two\n   - nested") == (
        "#launch #news\nSecond line\n\n1. one\n2. two\n  • nested"
    )


def test_a_link_whose_text_is_its_address_is_written_once():
    assert plain_text("<https://example.com> and [example.com](https://example.com)") == (
        "https://example.com and https://example.com"
    )


def test_x_counts_every_link_as_23_and_wide_characters_twice():
    text = format_for("x", "Read [the story](https://example.com/a/very/long/path/indeed) 日本")
    assert text.text == "Read the story https://example.com/a/very/long/path/indeed 日本"
    assert weighted_length(text.text) == len("Read the story ") + 23 + 1 + 4


class _Channel:
    def __init__(self, pk, kind):
        self.pk, self.kind = pk, kind


class _Draft:
    def __init__(self, body, variants):
        self.body, self.variants = body, variants


def test_a_channel_takes_its_own_text_then_its_kinds_then_the_body():
    variants = {"channel:7": "For this one", "kind:mastodon": "For every Mastodon"}
    assert variant_for(variants, channel_id=7, kind="mastodon") == "For this one"
    assert variant_for(variants, channel_id=8, kind="mastodon") == "For every Mastodon"
    assert markdown_for(_Draft("The body", variants), _Channel(9, "bluesky")) == "The body"
