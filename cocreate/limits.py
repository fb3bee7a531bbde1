"""The size of every text people write, in characters, defined once.

Each limit is enforced by the service that writes the field (so pages, API and admin hold alike); forms and
serializers repeat it as max_length only for an earlier, friendlier message. `require_within` is the one
check: it raises a ValidationError naming each field that is too long and its limit, which the API answers
as 400 JSON and pages show at the field.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError

# Drafts (drafts/services.py).
DRAFT_TITLE_MAX_CHARS = 200  # one line: a mail subject and a page heading
DRAFT_BODY_MAX_CHARS = 200_000
DRAFT_VARIANT_MAX_CHARS = 100_000  # per channel; the longest platform post (Facebook) is ~63,000
DRAFT_VARIANTS_MAX = 20  # channels with their own text
COMMENT_MAX_CHARS = 10_000

# Briefs (contributors/briefs/services.py).
BRIEF_TOPIC_MAX_CHARS = 200  # becomes the title of each claimed draft
BRIEF_DESCRIPTION_MAX_CHARS = 50_000

# Guidelines (contributors/guidelines/services.py, checks.py).
GUIDELINE_TEXT_MAX_CHARS = 50_000  # brand guidelines, tone of voice: each
GUIDELINE_RULES_MAX = 100  # rules on one board
GUIDELINE_RULE_PHRASE_MAX_CHARS = 200  # a banned phrase and its replacement
GUIDELINE_RULE_TAG_MAX_CHARS = 100  # a required hashtag or disclosure
GUIDELINE_RULE_DOMAINS_MAX = 50  # allowed link domains in one rule
GUIDELINE_RULE_PARAMS_MAX_CHARS = 5_000  # a rule's parameters as typed (JSON)

# Invitations and agreements.
INVITATION_MESSAGE_MAX_CHARS = 2_000
AGREEMENT_BODY_MAX_CHARS = 200_000  # an agreement pasted as Markdown


def too_long_message(limit: int, length: int) -> str:
    return f"Keep it to {limit:,} characters (it has {length:,})."


def require_within(limits: Mapping[str, tuple[str | None, int]]) -> None:
    """`{field: (text, limit)}`: a ValidationError naming every field whose text is over its limit.

    None is "not given" and passes, so partial updates can pass what they have.
    """
    errors = {
        field: [too_long_message(limit, len(text))]
        for field, (text, limit) in limits.items()
        if text is not None and len(text) > limit
    }
    if errors:
        raise ValidationError(errors)


def require_draft_text_within(
    *, title: str | None = None, body: str | None = None, variants: Mapping | None = None
) -> None:
    """The draft's text limits (drafts/services.py calls this first in draft_create and draft_update).

    A title is measured as saved, on one line with single spaces.
    """
    title = " ".join(title.split()) if isinstance(title, str) else None
    body = body if isinstance(body, str) else None
    require_within({"title": (title, DRAFT_TITLE_MAX_CHARS), "body": (body, DRAFT_BODY_MAX_CHARS)})
    if not isinstance(variants, Mapping):
        return  # absent, or of the wrong type: the draft service says what variants must be
    if len(variants) > DRAFT_VARIANTS_MAX:
        raise ValidationError({"variants": [f"At most {DRAFT_VARIANTS_MAX} channels with their own text."]})
    over = sorted(
        str(channel)
        for channel, text in variants.items()
        if isinstance(text, str) and len(text) > DRAFT_VARIANT_MAX_CHARS
    )
    if over:
        raise ValidationError(
            {
                "variants": [
                    f"Keep each channel's text to {DRAFT_VARIANT_MAX_CHARS:,} characters; over: {', '.join(over)}."
                ]
            }
        )


def require_comment_within(body: str | None) -> None:
    """A comment is measured as saved, without the spaces around it."""
    require_within({"body": (body.strip() if isinstance(body, str) else None, COMMENT_MAX_CHARS)})
