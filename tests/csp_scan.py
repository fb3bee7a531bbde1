"""What a page must not contain under the Content-Security-Policy: inline code the policy would block."""

import re
from html.parser import HTMLParser

# <script> types a browser does not run, so the policy has nothing to say about them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
# htmx evaluates these as JavaScript: hx-on* always, hx-vals/hx-headers/hx-vars when prefixed so.
HTMX_EVAL_PREFIXES = ("js:", "javascript:")
HTMX_VALUE_ATTRIBUTES = {"hx-vals", "hx-headers", "hx-vars"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href"}


def policy_nonce(header: str) -> str | None:
    """The nonce the Content-Security-Policy header allows for scripts, if any."""
    found = re.search(r"'nonce-([^']+)'", header)
    return found.group(1) if found else None


def inline_code(html: str, nonce: str | None) -> list[str]:
    """Everything in the page that the policy would block or that needs 'unsafe-inline'/'unsafe-eval'."""
    scanner = _Scanner(nonce)
    scanner.feed(html)
    scanner.close()
    return scanner.problems


class _Scanner(HTMLParser):
    def __init__(self, nonce: str | None) -> None:
        super().__init__()
        self.nonce = nonce
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        where = f"<{tag} {' '.join(f'{k}={v!r}' for k, v in attrs)[:120]}>"
        runs_inline = (
            tag == "script" and "src" not in values and values.get("type", "").lower() not in DATA_SCRIPT_TYPES
        )
        if runs_inline and (not self.nonce or values.get("nonce") != self.nonce):
            self.problems.append(f"inline script without the request's nonce: {where}")
        if tag == "style":
            self.problems.append(f"inline <style> (put it in a stylesheet): {where}")
        for name, value in values.items():
            lowered = value.strip().lower()
            if name.startswith("on"):
                self.problems.append(f"inline event handler {name}: {where}")
            elif name == "style":
                self.problems.append(f"inline style attribute: {where}")
            elif name.startswith(("hx-on", "data-hx-on")):
                self.problems.append(f"htmx {name} needs eval: {where}")
            elif name in HTMX_VALUE_ATTRIBUTES and lowered.startswith(HTMX_EVAL_PREFIXES):
                self.problems.append(f"htmx {name} with a js: value needs eval: {where}")
            elif name in URL_ATTRIBUTES and re.sub(r"[\s\x00-\x1f]", "", lowered).startswith("javascript:"):
                self.problems.append(f"javascript: URL: {where}")

    handle_startendtag = handle_starttag
