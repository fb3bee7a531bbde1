"""Permission-matrix rows for the review page's comment threads (see tests/test_permission_matrix.py).

Whoever may see a draft may comment on it and reply in its threads (404 for everyone else). Resolving a
thread is for its author, the draft's authors and the board's reviewers and managers: everyone who can see
a draft is one of those today, so no persona here gets 403 (tests/test_review_comments.py checks the rule).
"""

import re

from django.urls import reverse

from drafts.services import comment_create


def matrix_entries(m) -> list:
    def thread(ctx):
        return ctx.once(
            "thread",
            lambda: comment_create(
                draft_id=ctx.draft.pk, author=ctx.personas.reviewer, body="Shorter?", quote="markdown"
            ),
        )

    def page_thread(ctx) -> dict:
        return {"draft_id": ctx.draft.pk, "comment_id": thread(ctx).pk}

    def api_thread(ctx) -> dict:
        return {"pk": ctx.draft.pk, "comment_id": thread(ctx).pk}

    def to_thread(ctx) -> str:
        return re.escape(reverse("draft-detail", args=[ctx.draft.pk])) + r"#comment-\d+"

    def reply(ctx) -> dict:
        return {"body": "Agreed.", "parent": thread(ctx).pk}

    page, api, Expect = m.page, m.api, m.Expect  # noqa: N806
    # fmt: off
    return [
        # ---- Pages -----------------------------------------------------------------------------------------
        #     URL name                 method        anon out  con  rev  man  adm
        page("draft-comment",          "POST", Expect(302, 404, 302, 302, 302, 302), kwargs=m.draft_id, data=reply,
             variant="reply", redirect=to_thread),
        page("draft-comment-resolve",  "POST", Expect(302, 404, 302, 302, 302, 302), kwargs=page_thread,
             data=lambda ctx: {"resolved": "1"}, redirect=to_thread),
        page("draft-comment-resolve",  "POST", Expect(302, 404, 404, 302, 302, 302), kwargs=page_thread,
             data=lambda ctx: {"resolved": "1"}, redirect=to_thread, variant="others-draft", author="reviewer"),
        page("draft-comment-resolve",  "GET",  Expect(302, 405, 405, 405, 405, 405), kwargs=page_thread),

        # ---- API -------------------------------------------------------------------------------------------
        api("api-draft-comment-replies",    "POST", Expect(401, 404, 201, 201, 201, 201),
            kwargs=lambda ctx: {"pk": ctx.draft.pk, "comment_id": thread(ctx).pk}, data=lambda ctx: {"body": "Yes."}),
        api("api-draft-comment-resolve",    "POST", Expect(401, 404, 200, 200, 200, 200), kwargs=api_thread),
        api("api-draft-comment-resolve",    "POST", Expect(401, 404, 404, 200, 200, 200), kwargs=api_thread,
            variant="others-draft", author="reviewer"),
        api("api-draft-comment-reopen",     "POST", Expect(401, 404, 200, 200, 200, 200), kwargs=api_thread),
    ]
    # fmt: on
