from drafts.models import DraftEvent
from tests.factories import advance


def test_it_walks_a_draft_to_published(personas, draft):
    advance(draft, "published", personas)
    assert draft.state == "published"
    assert list(DraftEvent.objects.filter(draft=draft).values_list("transition", flat=True)) == [
        "create",
        "submit",
        "approve",
        "schedule",
        "mark_published",
    ]
