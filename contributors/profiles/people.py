"""How a person is named wherever they did something, and which characters a name may not hold.

A display name is chosen by its owner, so it can imitate someone else's ("Alice Jensen" twice, or a name
that bidirectional-control characters make read differently than it is stored). The username is unique
and cannot hold such characters, so it is shown beside the display name everywhere an action is shown.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.html import format_html

# Unicode's format (Cf) and control (Cc) characters: the bidirectional embeddings, overrides and isolates
# (U+202A-U+202E, U+2066-U+2069), the marks U+200E/U+200F/U+061C, zero-width spaces and joiners
# (U+200B-U+200D, U+2060, U+FEFF), soft hyphens and the like. None of them shows; all of them change
# how the characters around them read.
_INVISIBLE_CATEGORIES = {"Cf", "Cc"}


def invisible_characters(value: str) -> list[str]:
    """The code points (as U+XXXX) in `value` that are invisible formatting or control characters."""
    found = dict.fromkeys(f"U+{ord(ch):04X}" for ch in value if unicodedata.category(ch) in _INVISIBLE_CATEGORIES)
    return list(found)


def validate_visible_name(value: str) -> None:
    """Refuse a name (display, first, last or user name) holding invisible formatting characters."""
    found = invisible_characters(value or "")
    if found:
        raise ValidationError(
            "Names cannot contain invisible formatting characters (such as right-to-left overrides or "
            f"zero-width spaces); remove {', '.join(found[:5])}.",
            code="invisible_characters",
        )


def person_label(user) -> str:
    """Plain text: "Alice Jensen (@alice)", or "@alice" for someone without a display name."""
    if user is None:
        return "a deleted account"
    shown = str(user)
    return f"@{user.username}" if shown == user.username else f"{shown} (@{user.username})"


def person_html(user) -> str:
    """The same, for pages: the display name isolated in <bdi> so no character in it reorders the rest."""
    if user is None:
        return format_html('<span class="person">{}</span>', person_label(None))
    shown = str(user)
    if shown == user.username:
        return format_html('<span class="person">@{}</span>', user.username)
    return format_html(
        '<span class="person"><bdi>{}</bdi> <span class="username">(@{})</span></span>', shown, user.username
    )
