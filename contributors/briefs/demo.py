"""Demo data for briefs: a call for e-book chapters on Launch, claimed by alice and the reviewer.

Idempotent: the brief is found by board and topic, and each demo claim is made only if it is missing.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import Brief, BriefClaim
from .services import brief_claim, brief_create

EBOOK_TOPIC = "Launch e-book: one chapter each"
EBOOK_DESCRIPTION = """\
We are putting together a short **e-book** for the launch, one chapter per expert.

* Pick the part of the product you know best and explain it to a newcomer.
* 800 to 1,200 words, with one example from your own work.
* Add a two-sentence LinkedIn teaser as a channel variant.
"""
CLAIMANTS = ["alice", "reviewer"]


@transaction.atomic
def load_demo(*, boards: dict, users: dict) -> None:
    """`boards` by slug and `users` by username, as cocreate.demo builds them."""
    board, manager = boards["launch"], users["manager"]
    brief = Brief.objects.filter(board=board, topic=EBOOK_TOPIC).first() or brief_create(
        board=board,
        actor=manager,
        topic=EBOOK_TOPIC,
        description=EBOOK_DESCRIPTION,
        channels=["linkedin"],
        deadline=timezone.now() + timedelta(days=14),
        max_claims=10,
    )
    if brief.is_closed or brief.is_past_deadline:
        return  # someone closed it, or the demo database is older than the deadline: leave it as it is
    for username in CLAIMANTS:
        if not BriefClaim.objects.filter(brief=brief, contributor=users[username]).exists():
            brief_claim(brief_id=brief.pk, actor=users[username])
