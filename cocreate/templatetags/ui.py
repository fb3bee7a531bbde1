"""Small helpers for the design system's components (docs/design.md). A template builtin: no {% load %}.

{{ user|initials }}       "AE" for Alice Expert, "AL" for alice: the avatar's fallback
{{ user|avatar_tone }}    0-7, a stable colour per username (.avatar-tone-N)
{{ role|role_label }}     "Manager", "Site admin"
{% board_tabs board %}    the board's sub-navigation, only the tabs the viewer's role may open
{% state_badge state label %}, {% avatar person size src %}: the markup of components/state_badge.html and
                          components/avatar.html (which call them), for the rows of long lists: an
                          {% include %} per row cost more than the rest of the row
"""

import hashlib

from django import template
from django.utils.html import format_html
from django.utils.text import capfirst

from contributors.permissions import has_board_perm
from contributors.roles import MANAGE, REVIEW, SITE_ADMIN

register = template.Library()

ROLE_LABELS = {SITE_ADMIN: "Site admin", "manager": "Manager", "reviewer": "Reviewer", "contributor": "Contributor"}


@register.filter
def initials(user) -> str:
    name = (getattr(user, "display_name", "") or "").strip() or getattr(user, "username", "") or "?"
    words = [word for word in name.split() if word[:1].isalnum()]
    if len(words) >= 2:
        return (words[0][0] + words[-1][0]).upper()
    return name[:2].upper()


@register.filter
def avatar_tone(user) -> int:
    username = getattr(user, "username", "") or str(user)
    return hashlib.sha256(username.encode()).digest()[0] % 8


@register.filter
def role_label(role) -> str:
    return ROLE_LABELS.get(str(role), str(role or "").capitalize())


GUIDELINE_PAGES = {"guidelines-edit", "guidelines-rule-edit", "guidelines-rule-delete"}
DRAFT_PAGES = {"draft-create", "draft-detail", "draft-edit", "draft-revisions", "draft-diff"}

# (key, label, url name, the role needed, the url names that belong to the tab)
CALENDAR_PAGES = {"board-calendar-notes", "board-calendar-note-edit", "board-calendar-note-delete"}
BOARD_TABS = [
    ("drafts", "Drafts", "board-detail", None, DRAFT_PAGES),
    ("briefs", "Briefs", "brief-list", None, {"brief-create", "brief-detail", "brief-edit"}),
    ("calendar", "Calendar", "board-calendar", None, CALENDAR_PAGES),
    ("pillars", "Pillars", "board-pillars", None, {"board-pillar-edit", "board-pillar-delete"}),
    ("channels", "Channels", "board-channels", MANAGE, {"channel-edit"}),
    ("publications", "Publications", "board-publications", REVIEW, set()),
    ("members", "Members", "board-members", MANAGE, set()),
    (
        "guidelines",
        "Guidelines",
        "guidelines",
        None,
        {"guidelines-edit", "guidelines-rule-edit", "guidelines-rule-delete"},
    ),
    (
        "agreements",
        "Agreements",
        "board-agreements",
        None,
        {
            "agreement-detail",
            "agreement-acceptances",
            "board-agreements-manage",
            "board-agreement-create",
            "board-agreement-withdraw",
            "agreement-version-create",
        },
    ),
    ("invitations", "Invitations", "invitation-list", MANAGE, set()),
    ("portfolios", "Portfolios", "board-portfolio-policy", MANAGE, set()),
    ("settings", "Settings", "board-settings", MANAGE, set()),
]


@register.inclusion_tag("components/board_tabs.html", takes_context=True)
def board_tabs(context, board):
    request = context.get("request")
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match else ""
    tabs = []
    for key, label, url_name, needs, inside in BOARD_TABS:
        if needs and not has_board_perm(user, board, needs):
            continue
        state = "page" if current == url_name else ("true" if current in inside else "")
        tabs.append({"key": key, "label": label, "url_name": url_name, "current": state})
    return {"board": board, "tabs": tabs}


AVATAR_PIXELS = {"xl": 96, "lg": 64, "sm": 24}


@register.simple_tag
def state_badge(state, label=None) -> str:
    return format_html('<span class="state state-{}">{}</span>', state, capfirst(str(label or state)))


@register.simple_tag
def avatar(person, size="", src="") -> str:
    size_class = f" avatar-{size}" if size else ""
    if src:
        pixels = AVATAR_PIXELS.get(size, 32)
        return format_html(
            '<img class="avatar{}" src="{}" alt="" width="{}" height="{}">', size_class, src, pixels, pixels
        )
    return format_html(
        '<span class="avatar avatar-tone-{}{}" aria-hidden="true">{}</span>',
        avatar_tone(person),
        size_class,
        initials(person),
    )
