"""Small helpers for the design system's components (docs/design.md). A template builtin: no {% load %}.

{{ user|initials }}       "AE" for Alice Expert, "AL" for alice: the avatar's fallback
{{ user|avatar_tone }}    0-7, a stable colour per username (.avatar-tone-N)
{{ role|role_label }}     "Manager", "Site admin"
{% board_tabs board %}    the board's sub-navigation, only the tabs the viewer's role may open
"""

import hashlib

from django import template

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
BOARD_TABS = [
    ("drafts", "Drafts", "board-detail", None, DRAFT_PAGES),
    ("briefs", "Briefs", "brief-list", None, {"brief-create", "brief-detail", "brief-edit"}),
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
