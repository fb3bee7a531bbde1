"""Demo notifications: every demo login finds some unread, made by the real fan-out from the demo's own
events, comments, agreement versions and brief claims (each is told once however often the seed runs)."""

from contributors.models import Board, User
from contributors.notifications import fanout
from drafts.models import DraftComment, DraftEvent
from drafts.services import NOT_NOTIFIED, comment_create, draft_event_notify

MENTION_BODY = "@admin @reviewer the pricing section is in: could one of you check the numbers before Friday?"


def load_demo(*, boards: dict[str, Board], users: dict[str, User]) -> None:
    from contributors.agreements.models import AgreementVersion
    from contributors.briefs.models import BriefClaim

    board_ids = [board.pk for board in boards.values()]
    # A comment that mentions the site admin and the reviewer, once.
    launch_draft = users["alice"].drafts.filter(board=boards["launch"], title="Launch-day checklist for teams").first()
    if launch_draft is not None and not DraftComment.objects.filter(draft=launch_draft, body=MENTION_BODY).exists():
        comment_create(draft_id=launch_draft.pk, author=users["alice"], body=MENTION_BODY)

    events = DraftEvent.objects.filter(draft__board_id__in=board_ids, notified_at=None).exclude(
        transition__in=NOT_NOTIFIED
    )
    for event_id in events.order_by("pk").values_list("pk", flat=True):
        draft_event_notify(event_id=event_id)
    comments = DraftComment.objects.filter(draft__board_id__in=board_ids).select_related(
        "draft__board", "draft__author", "author", "parent__author"
    )
    for comment in comments.order_by("pk"):
        fanout.comment_fanout(comment)
    for version in AgreementVersion.objects.filter(agreement__requirements__board_id__in=board_ids).distinct():
        fanout.agreement_version_fanout(version)
    for claim in BriefClaim.objects.filter(brief__board_id__in=board_ids).select_related(
        "brief__board", "brief__created_by", "contributor", "draft"
    ):
        fanout.brief_claim_fanout(claim)
