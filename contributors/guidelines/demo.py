"""Demo guidelines: Launch gets brand text, tone and rules that fire on a demo draft still being written.

Blocking rules are chosen so that none of the demo's own drafts breaks them: the demo's submits go through.
Only the extra draft created here (never submitted) breaks them, to show the checks in the editor.
"""

from contributors.guidelines.models import Guideline
from contributors.guidelines.services import guideline_rule_create, guideline_update
from drafts.models import Draft
from drafts.services import draft_create

LAUNCH_BRAND = """\
**The planner** is always written in lower case, never "the Planner app".

- Show real people and real Mondays; no stock-photo smiles.
- Link to our own site only.
"""
LAUNCH_TONE = """\
Warm, direct and a little playful. Short sentences. Talk to one person ("you"), not "users".
Avoid buzzwords: say what the planner does.
"""
LAUNCH_RULES = [
    ("banned_phrase", "error", {"phrase": "synergy", "replacement": "teamwork"}),
    ("banned_phrase", "warning", {"phrase": "game changer", "replacement": "a real help"}),
    ("required_hashtag", "warning", {"hashtag": "#PlannerLaunch"}),
    ("length_limit", "error", {"channel": "x", "max_length": 280}),
    ("allowed_domains", "error", {"domains": ["planner.example"]}),
]
COMMUNITY_TONE = "Friendly and honest: share what works for you, and say when something was a gift."
COMMUNITY_RULES = [("required_disclosure", "warning", {"text": "#ad"})]

BROKEN_DRAFT_TITLE = "Our synergy story (needs work)"


def _load_board(board, actor, *, brand: str, tone: str, rules: list) -> None:
    if Guideline.objects.filter(board=board, version__gt=0).exists():
        return
    guideline_update(board=board, actor=actor, brand=brand, tone=tone)
    for kind, severity, params in rules:
        guideline_rule_create(board=board, actor=actor, kind=kind, severity=severity, params=params)


def load_demo(*, boards, users) -> None:
    """Idempotent: boards that already have guidelines are left alone; the example draft is made once."""
    manager = users.get("manager")
    if "launch" in boards:
        _load_board(boards["launch"], manager, brand=LAUNCH_BRAND, tone=LAUNCH_TONE, rules=LAUNCH_RULES)
        alice = users.get("alice")
        if alice is not None and not Draft.objects.filter(board=boards["launch"], title=BROKEN_DRAFT_TITLE).exists():
            draft_create(
                board=boards["launch"],
                author=alice,
                title=BROKEN_DRAFT_TITLE,
                body="Launch week was pure synergy.\nSee https://elsewhere.example/story for the game changer.",
                tags=["story"],
                variants={"kind:x": "Launch week was pure synergy. " + "We planned every hour together. " * 9},
            )
    if "community" in boards:
        _load_board(boards["community"], manager, brand="", tone=COMMUNITY_TONE, rules=COMMUNITY_RULES)
