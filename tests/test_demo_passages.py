"""The demo shows comments on passages: anchored in the Launch draft in review, one answered, one resolved,
made once however often the demo is loaded."""

import re
from io import StringIO

from django.core.management import call_command

from contributors.models import User
from drafts import selectors
from drafts.anchoring import body_text
from drafts.demo_passages import DRAFT_TITLE, PASSAGE_COMMENTS
from drafts.models import Draft, DraftComment


def seed() -> None:
    call_command("seed_demo", stdout=StringIO())


def test_the_demo_draft_in_review_has_anchored_passage_comments(db):
    seed()
    draft = Draft.objects.get(title=DRAFT_TITLE)
    assert draft.state == "review"
    threads = [thread for thread in selectors.comment_threads_located(draft) if thread.quote]
    assert sorted(thread.quote for thread in threads) == sorted(quote for quote, *_ in PASSAGE_COMMENTS)
    text = body_text(draft.body)
    for thread in threads:
        assert thread.anchor.status == "exact"
        assert text[thread.anchor.start : thread.anchor.end] == thread.quote
    by_quote = {thread.quote: thread for thread in threads}
    replies = by_quote["three cities"].replies.all()
    assert [(reply.author.username, reply.body) for reply in replies] == [
        ("alice", "Aarhus, Odense and Copenhagen: I will add them.")
    ]
    assert [thread.quote for thread in threads if thread.resolved_at] == ["slept on the night train"]
    assert by_quote["slept on the night train"].resolved_by.username == "alice"


def test_the_review_page_places_each_demo_passage_comment_in_the_text(db, client):
    seed()
    draft = Draft.objects.get(title=DRAFT_TITLE)
    client.force_login(User.objects.get(username="reviewer"))
    page = client.get(f"/drafts/{draft.pk}/").content.decode()
    text = body_text(draft.body)
    placed = re.findall(r'data-anchor-start="(\d+)" data-anchor-end="(\d+)"', page)
    assert sorted(text[int(start) : int(end)] for start, end in placed) == sorted(q for q, *_ in PASSAGE_COMMENTS)
    assert "Passage changed or removed" not in page


def test_seeding_again_adds_no_passage_comment(db):
    seed()
    before = list(DraftComment.objects.order_by("pk").values_list("pk", "quote", "parent", "resolved_at"))
    seed()
    assert list(DraftComment.objects.order_by("pk").values_list("pk", "quote", "parent", "resolved_at")) == before
    assert DraftComment.objects.exclude(quote="").count() == len(PASSAGE_COMMENTS)
