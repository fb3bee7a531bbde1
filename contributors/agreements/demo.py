"""Demo data for agreements: the Launch board's contributors sign an NDA; `carol` has not yet, so she
sees the gate. Idempotent: the NDA, its requirement and the signatures are made only when missing."""

from datetime import timedelta

from django.utils import timezone

from contributors.agreements import selectors, services
from contributors.agreements.models import Agreement

DEMO_NDA_TITLE = "Launch NDA"
DEMO_NDA_BODY = """\
**Confidentiality.** Everything you see on the Launch board (drafts, briefs, dates, product details) stays
confidential until it is published.

**Use.** You use it only to write and review content for the launch.

**Return.** When your work on the board ends, you delete any copies you made.
"""
SIGNED_BY = ("alice", "bob")


def load_demo(*, boards: dict, users: dict) -> None:
    agreement = Agreement.objects.filter(title=DEMO_NDA_TITLE).first()
    if agreement is None:
        agreement = services.agreement_create(title=DEMO_NDA_TITLE, actor=None)
        services.agreement_version_publish(
            agreement=agreement,
            body=DEMO_NDA_BODY,
            effective_on=timezone.localdate() - timedelta(days=30),
            actor=None,
        )
    services.agreement_require(agreement=agreement, board=boards["launch"], role="contributor", actor=None)
    for username in SIGNED_BY:
        user = users[username]
        for obligation in selectors.outstanding_for_user(user):
            if not obligation.expired:
                services.agreement_accept(
                    agreement=obligation.agreement,
                    user=user,
                    signature=str(user),
                    ip_address="127.0.0.1",
                    user_agent="Cocreate demo data",
                )
