"""The box for every channel of a kind, in Chromium: with a second Mastodon channel on the demo's Launch board,
the editor shows "Every Mastodon channel" beside the two Mastodon previews; what is typed in it shows in both
previews and not in Bluesky's, its guideline problems are marked in it, and the page stays axe-clean and
without sideways scrolling at 1366 and 390 px."""

import pytest

from contributors.models import Board
from publishing.demo_receiver import MASTODON_TOKEN, MASTODON_URL
from publishing.models import Channel
from publishing.services import channel_create
from tests.browser.harness import WIDTHS, assert_no_horizontal_overflow, assert_no_serious_axe_violations, tab_to

pytestmark = [pytest.mark.browser]


def test_one_text_for_every_mastodon_channel(open_as, live_server):
    launch = Board.objects.get(slug="launch")
    second = channel_create(
        board=launch,
        actor=None,
        kind="mastodon",
        name="Mastodon support",
        settings={"url": MASTODON_URL},
        credentials={"token": MASTODON_TOKEN},
    )
    first = Channel.objects.get(board=launch, name="Mastodon (stand-in)")
    bluesky = Channel.objects.get(board=launch, kind="bluesky")
    page, console = open_as("alice")
    page.goto(f"{live_server.url}/boards/launch/drafts/new/")
    tab_to(page, "#id_title")
    page.keyboard.type("One toot for both")
    tab_to(page, "#id_body")
    page.keyboard.insert_text("The body for everyone. #PlannerLaunch")

    box = page.locator("section.kind-variant", has=page.locator("#kind-variant-mastodon"))
    assert "Mastodon (stand-in), Mastodon support" in box.inner_text()
    box.locator("summary").click()
    page.locator("#id_variant_kind_mastodon").fill("Both accounts say hi, with synergy. #PlannerLaunch")

    for channel in (first, second):
        page.locator(f"#channel-preview-{channel.pk} .post-text", has_text="Both accounts say hi").wait_for()
    assert "The body for everyone" in page.locator(f"#channel-preview-{bluesky.pk}").inner_text()
    page.wait_for_function(
        """() => [...document.querySelectorAll('.marks-wrap:has(#id_variant_kind_mastodon) mark')]
            .some(m => m.textContent === 'synergy')"""
    )

    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(100)
        assert_no_horizontal_overflow(page, context=f"editor kind box at {width}px")
        assert_no_serious_axe_violations(page, context=f"editor kind box at {width}px")
    console.assert_none()
