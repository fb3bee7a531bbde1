"""The browser harness: Chromium, signed-in pages, and the checks every page must pass.

assert_no_serious_axe_violations(page)   axe-core (vendor/axe.min.js) finds nothing serious/critical
assert_no_horizontal_overflow(page)      nothing scrolls sideways at the current width
ConsoleErrors(page)                      console errors and uncaught page errors, to assert on
screenshot(page, name)                   docs/screenshots/<name>-<width>.png with SCREENSHOTS=1, else a temp dir
"""

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTHS = (1366, 390)
HEIGHT = 900
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SERIOUS = ("serious", "critical")


def require_chromium() -> None:
    if shutil.which(CHROMIUM):
        return
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but there is no Chromium at {CHROMIUM} (apt-get install chromium).")
    pytest.skip(f"No Chromium at {CHROMIUM}: apt-get install chromium to run the browser tests.")


def assert_no_serious_axe_violations(page, *, context: str = "") -> list[dict]:
    """Run axe-core on the page as it is now. It is evaluated through DevTools, which the page's
    Content-Security-Policy does not govern (an injected <script> tag would be refused, as it should be)."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.evaluate(AXE.read_text())
    results = page.evaluate(
        """async () => {
          // A dialog or toast fading in is measured between its colours: let finite animations end first.
          const finite = document.getAnimations().filter(
            a => a.effect && a.effect.getComputedTiming().endTime !== Infinity);
          await Promise.all(finite.map(a => a.finished.catch(() => null)));
          const r = await axe.run(document, {resultTypes: ["violations"]});
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + (n.failureSummary || ""))}));
        }"""
    )
    serious = [v for v in results if v["impact"] in SERIOUS]
    assert serious == [], f"axe on {context or page.url}:\n" + json.dumps(serious, indent=2)
    return results


def assert_no_horizontal_overflow(page, *, context: str = "") -> None:
    widths = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{context or page.url} scrolls sideways: {widths[0]}px wide at {widths[1]}px"


class ConsoleErrors:
    """Console errors (a failed resource load, a CSP refusal) and uncaught exceptions seen by a page."""

    def __init__(self, page):
        self.errors: list[str] = []
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: uncaught {error}"))

    def _console(self, page, message) -> None:
        if message.type == "error":
            self.errors.append(f"{page.url}: {message.text}")

    def assert_none(self) -> None:
        assert self.errors == []


_temp_screenshots: Path | None = None


def screenshot(page, name: str) -> Path:
    """A full-page PNG at device scale 1 named after the page and the current width."""
    global _temp_screenshots
    if os.environ.get("SCREENSHOTS") == "1":
        folder = SCREENSHOTS
    else:
        _temp_screenshots = _temp_screenshots or Path(tempfile.mkdtemp(prefix="cocreate-screens-"))
        folder = _temp_screenshots
    folder.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    path = folder / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")
    return path


def check_page(page, name: str, console: ConsoleErrors) -> None:
    """The checks every page passes at every width, and its screenshot."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        page.wait_for_timeout(50)  # layout settles after the resize
        assert_no_horizontal_overflow(page, context=f"{name} at {width}px")
        assert_no_serious_axe_violations(page, context=f"{name} at {width}px")
        screenshot(page, name)
    console.assert_none()


def tab_to(page, selector: str, *, limit: int = 60) -> None:
    """Press Tab until the focused element matches `selector`: proves it is reachable from the keyboard."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with Tab within {limit} presses")
