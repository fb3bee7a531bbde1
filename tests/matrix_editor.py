"""Permission-matrix rows for the editor's background endpoints (see tests/test_permission_matrix.py).

The preview and autosave of a draft follow editing: whoever may edit its content now (its authors and the
board's reviewers, in the draft state only: 403 once frozen); a new draft's preview and start need the right
to write on the board. Nobody without a role on the board learns it exists (404).
"""


def matrix_entries(m) -> list:
    def content(ctx) -> dict:
        return {"title": "Typed title", "body": "Typed **body**.", "tags": "launch"}

    def autosave_body(ctx) -> dict:
        return {**content(ctx), "version": ctx.draft.version}

    page, Expect = m.page, m.Expect  # noqa: N806
    # fmt: off
    return [
        #     URL name                method        anon out  con  rev  man  adm
        page("draft-create-preview", "POST", Expect(302, 404, 200, 200, 200, 200), kwargs=m.board_slug, data=content),
        page("draft-create-preview", "GET",  Expect(302, 405, 405, 405, 405, 405), kwargs=m.board_slug),
        page("draft-start",          "POST", Expect(302, 404, 201, 201, 201, 201), kwargs=m.board_slug, data=content),
        page("draft-start",          "GET",  Expect(302, 405, 405, 405, 405, 405), kwargs=m.board_slug),
        page("draft-preview",        "POST", Expect(302, 404, 200, 200, 200, 200), kwargs=m.draft_id, data=content),
        page("draft-preview",        "POST", Expect(302, 404, 404, 200, 200, 200), kwargs=m.draft_id, data=content,
             variant="others-draft", author="reviewer"),
        page("draft-preview",        "POST", Expect(302, 404, 403, 403, 403, 403), kwargs=m.draft_id, data=content,
             variant="in-review", state="review"),
        page("draft-preview",        "GET",  Expect(302, 405, 405, 405, 405, 405), kwargs=m.draft_id),
        page("draft-autosave",       "POST", Expect(302, 404, 200, 200, 200, 200), kwargs=m.draft_id,
             data=autosave_body),
        page("draft-autosave",       "POST", Expect(302, 404, 404, 200, 200, 200), kwargs=m.draft_id,
             data=autosave_body, variant="others-draft", author="reviewer"),
        page("draft-autosave",       "POST", Expect(302, 404, 403, 403, 403, 403), kwargs=m.draft_id,
             data=autosave_body, variant="in-review", state="review"),
        page("draft-autosave",       "GET",  Expect(302, 405, 405, 405, 405, 405), kwargs=m.draft_id),
    ]
    # fmt: on
