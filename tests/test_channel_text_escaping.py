"""What was literal in the draft's Markdown stays literal on Slack and Discord (publishing/rendering/escaping.py):
Slack's control characters as entities, links as <url|text> with the address escaped too; Discord's Markdown
characters written as characters get a backslash, bare addresses are left alone. The stand-ins receive exactly
the text the previews showed."""

import pytest

from drafts.services import draft_update
from publishing.rendering import format_for
from publishing.selectors import draft_previews
from publishing.standins.discord import DiscordStandIn
from publishing.standins.slack import SlackStandIn
from tests.factories import advance, make_channel, run_due


def discord(markdown: str) -> str:
    return format_for("discord", markdown).text


def slack(markdown: str) -> str:
    return format_for("slack", markdown).text


@pytest.mark.parametrize(
    ("markdown", "sent"),
    [
        ("Use snake_case_names", "Use snake\\_case\\_names"),
        ("2\\*3\\*4 = 24", "2\\*3\\*4 = 24"),  # escaped in the source: still literal
        ("A ~tilde~ and a | pipe || twice", "A \\~tilde\\~ and a \\| pipe \\|\\| twice"),
        ("A back\\\\slash", "A back\\\\slash"),
        ("\\# not a heading", "\\# not a heading"),
        ("\\> not a quote", "\\> not a quote"),
        ("\\- not a list", "\\- not a list"),
        ("2026\\. What a year", "2026\\. What a year"),
        ("\\[not](https://a.example) a link", "\\[not](https://a.example) a link"),
        ("#launch #CoCreate", "#launch #CoCreate"),  # no space after #: never a heading, left as it is
    ],
)
def test_discord_shows_literal_markdown_characters_as_typed(markdown, sent):
    assert discord(markdown) == sent


def test_discord_keeps_the_formatting_the_author_asked_for():
    assert discord("**Big** _news_ ~~old~~ `co_de`") == "**Big** *news* ~~old~~ `co_de`"
    assert discord("# Launch\n\n> quoted\n\n- item_one") == "# Launch\n\n> quoted\n\n- item\\_one"


def test_discord_leaves_bare_addresses_whole_and_escapes_masked_links_words_and_parentheses():
    assert discord("See https://ex.example/a_b*c for more_info") == "See https://ex.example/a_b*c for more\\_info"
    assert discord("[the [beta] *page*](https://ex.example/wiki/Foo_(bar))") == (
        "[the \\[beta\\] page](https://ex.example/wiki/Foo_%28bar%29)"  # emphasis in link words is dropped
    )


def test_discord_code_stays_as_written_and_a_backtick_inside_gets_a_longer_fence():
    assert discord("Run `rm *_old`") == "Run `rm *_old`"
    assert discord("The `` a`b `` tick") == "The `` a`b `` tick"


def test_slack_escapes_its_control_characters_in_text_code_and_addresses():
    assert slack("Tom & Jerry <3 <!channel>") == "Tom &amp; Jerry &lt;3 &lt;!channel&gt;"
    assert slack("`a<b`") == "`a&lt;b`"
    assert slack("[R&D news](https://ex.example/?a=1&b=2)") == "<https://ex.example/?a=1&amp;b=2|R&amp;D news>"
    assert slack("[x](https://ex.example/a|b)") == "<https://ex.example/a%7Cb|x>"
    assert slack("<https://ex.example/?a=1&b=2>") == "<https://ex.example/?a=1&amp;b=2>"


TRICKY = "Ship **v2_final** today: snake_case & <tags>, 2\\*3, [R&D](https://ex.example/?a=1&b=2)\n\\# not a heading"


@pytest.fixture
def hooks():
    discord_hook, slack_hook = DiscordStandIn(token="d-token"), SlackStandIn(secret="s-secret")
    discord_hook.url, slack_hook.url = discord_hook.start(), slack_hook.start()
    yield discord_hook, slack_hook
    discord_hook.stop()
    slack_hook.stop()


def test_each_webhook_receives_exactly_the_escaped_text_its_preview_showed(personas, draft, hooks):
    discord_hook, slack_hook = hooks
    make_channel(personas.board, "discord", name="Disc", settings={}, credentials={"url": discord_hook.url})
    make_channel(personas.board, "slack", name="Team", settings={}, credentials={"url": slack_hook.url})
    draft = draft_update(draft_id=draft.pk, actor=personas.contributor, version=draft.version, body=TRICKY)
    shown = {preview["kind"]: preview["text"] for preview in draft_previews(draft)}
    assert shown["discord"] == (
        "Ship **v2\\_final** today: snake\\_case & <tags>, 2\\*3, [R&D](https://ex.example/?a=1&b=2)\n\\# not a heading"
    )
    assert shown["slack"] == (
        "Ship *v2_final* today: snake_case &amp; &lt;tags&gt;, 2*3, <https://ex.example/?a=1&amp;b=2|R&amp;D>\n"
        "# not a heading"
    )
    advance(draft, "scheduled", personas)
    assert sorted(run_due()) == ["published", "published"]
    assert [post["content"] for post in discord_hook.posts] == [shown["discord"]]
    assert [post["text"] for post in slack_hook.posts] == [shown["slack"]]
