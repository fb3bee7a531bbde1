"""Guideline problems marked at their place in the text (static/js/editor-marks.js), in Chromium on the demo
data: the wrong passage is marked in a mirror behind the text box, the marks move with the typing and follow
the live check, the caret inside one tells its message, the list selects it; axe-clean at 1366 and 390 px."""

import re

import pytest

from tests.browser.harness import WIDTHS, assert_no_horizontal_overflow, assert_no_serious_axe_violations, tab_to

pytestmark = [pytest.mark.browser]

# An emoji (two UTF-16 units, one code point) and an accent before the word: offsets must not drift.
BODY = (
    "Café 👩🏽‍💻 news:\nour pure synergy is a game changer.\n\nRead https://elsewhere.example/story.\n#PlannerLaunch\n\n"
    "A long closing line that wraps on a phone, twice or more, and then says it: game changer."
)

MARKS = "#id_body-marks-note"


def marked(page) -> list[tuple[str, str]]:
    return [
        tuple(pair)
        for pair in page.evaluate(
            """() => [...document.querySelectorAll('.marks-mirror mark')].map(m => [m.textContent,
            m.dataset.severity])"""
        )
    ]


def wait_for_marks(page, expected):
    page.wait_for_function(
        """(expected) => JSON.stringify([...document.querySelectorAll('.marks-mirror mark')]
            .map(m => m.textContent)) === JSON.stringify(expected)""",
        arg=expected,
    )


def test_problems_are_marked_where_they_are_and_follow_the_text(open_as, live_server):
    page, console = open_as("alice")
    page.goto(f"{live_server.url}/boards/launch/drafts/new/")
    tab_to(page, "#id_title")
    page.keyboard.type("Marks in the text")
    tab_to(page, "#id_body")
    page.keyboard.insert_text(BODY)

    wait_for_marks(page, ["synergy", "game changer", "https://elsewhere.example/story", "game changer"])
    assert marked(page) == [
        ("synergy", "error"),
        ("game changer", "warning"),
        ("https://elsewhere.example/story", "error"),
        ("game changer", "warning"),
    ]
    # The mirror holds the box's text exactly, so each mark sits under its words.
    assert page.evaluate(
        "document.querySelector('.marks-mirror').textContent === document.getElementById('id_body').value + '\\u200b'"
    )
    same_box = page.evaluate(
        """(() => { const b = document.getElementById('id_body').getBoundingClientRect();
            const m = document.querySelector('.marks-mirror').getBoundingClientRect();
            return [b.left, b.top, b.width, b.height].map(Math.round).join() ===
                   [m.left, m.top, m.width, m.height].map(Math.round).join(); })()"""
    )
    assert same_box

    # Typing before a mark carries it along at once, before the next check answers.
    page.evaluate("document.getElementById('id_body').setSelectionRange(0, 0)")
    page.keyboard.type("Big ")
    assert [text for text, _ in marked(page)][0] == "synergy"
    # The caret inside the passage tells its message; the box is described by that note.
    body = page.locator("#id_body")
    caret = page.evaluate("document.getElementById('id_body').value.indexOf('synergy') + 2")
    page.evaluate(f"document.getElementById('id_body').setSelectionRange({caret}, {caret})")
    page.keyboard.press("ArrowRight")
    page.locator(MARKS, has_text=re.compile("“synergy” is not used")).wait_for()
    assert "id_body-marks-note" in (body.get_attribute("aria-describedby") or "")
    assert "Replace it with “teamwork”" in page.locator(MARKS).inner_text()

    # The list entry selects the whole passage.
    page.locator("#guideline-problems button.jump", has_text="line 2").first.click()
    selected = page.evaluate(
        "(() => { const b = document.activeElement; return b.value.slice(b.selectionStart, b.selectionEnd); })()"
    )
    assert selected == "synergy"

    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(100)
        assert_no_horizontal_overflow(page, context=f"editor marks at {width}px")
        assert_no_serious_axe_violations(page, context=f"editor marks at {width}px")

        # Wrapped at this width, the mirror still matches the box line for line.
        assert page.evaluate(
            """(() => { const b = document.getElementById('id_body'), m = document.querySelector('.marks-mirror');
                return Math.abs(b.scrollHeight - m.scrollHeight) <= 2; })()"""
        )

    # Fixing the text removes its mark once the check answers.
    page.evaluate(
        """(() => { const b = document.getElementById('id_body');
            b.value = b.value.replace('synergy', 'teamwork');
            b.dispatchEvent(new Event('input', {bubbles: true})); })()"""
    )
    wait_for_marks(page, ["game changer", "https://elsewhere.example/story", "game changer"])

    # A long text scrolls in its box, and the marks scroll with it.
    page.evaluate(
        """(() => { const b = document.getElementById('id_body');
            b.value += '\\n'.repeat(60) + 'The end: synergy';
            b.dispatchEvent(new Event('input', {bubbles: true})); })()"""
    )
    wait_for_marks(page, ["game changer", "https://elsewhere.example/story", "game changer", "synergy"])
    page.evaluate("(() => { const b = document.getElementById('id_body'); b.scrollTop = b.scrollHeight; })()")
    page.wait_for_function(
        """(() => { const b = document.getElementById('id_body'), m = document.querySelector('.marks-mirror');
            return b.scrollTop > 0 && Math.abs(m.scrollTop - b.scrollTop) <= 1; })"""
    )
    console.assert_none()
