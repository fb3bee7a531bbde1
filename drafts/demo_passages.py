"""Demo comments on passages: the Launch draft in review carries a few, anchored to its words, so the review page
shows comments beside the text they are about: one answered by its author, one resolved.

Made through the services the review page uses (drafts.services.comment_create / comment_resolve, which anchor
with drafts.anchoring). Idempotent: a draft that already has a comment on a passage is left alone.
"""

from drafts.anchoring import body_text
from drafts.models import Draft, DraftComment, DraftState
from drafts.services import comment_create, comment_resolve

DRAFT_TITLE = "Behind the scenes: building the launch video"

# quote, commenter, comment, reply (author, text) or None, resolved by (None: open)
PASSAGE_COMMENTS = [
    (
        "three cities",
        "reviewer",
        "Which cities? Naming them makes it real.",
        ("alice", "Aarhus, Odense and Copenhagen: I will add them."),
        None,
    ),
    ("slept on the night train", "manager", "Lovely detail, **keep it**.", None, "alice"),
    (
        "the drone survived a seagull",
        "reviewer",
        "Do we have that footage? A still would make a great second image.",
        None,
        None,
    ),
]


def load_demo(*, boards, users) -> None:
    draft = Draft.objects.filter(board=boards["launch"], title=DRAFT_TITLE, state=DraftState.REVIEW).first()
    if draft is None or DraftComment.objects.filter(draft=draft).exclude(quote="").exists():
        return
    text = body_text(draft.body)
    for quote, commenter, body, reply, resolver in PASSAGE_COMMENTS:
        position = text.find(quote)
        if position < 0:
            continue  # a demo made before the draft's text had this passage
        thread = comment_create(draft_id=draft.pk, author=users[commenter], body=body, quote=quote, position=position)
        if reply is not None:
            author, answer = reply
            comment_create(draft_id=draft.pk, author=users[author], body=answer, parent_id=thread.pk)
        if resolver is not None:
            comment_resolve(draft_id=draft.pk, comment_id=thread.pk, actor=users[resolver])
