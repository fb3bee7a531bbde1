"""Permission-matrix rows for draft images (see tests/test_permission_matrix.py).

Images follow their draft: whoever may see the draft may see its images (404 for everyone else), and
whoever may edit its content may add, change and remove them (only in the draft state: 403 once frozen).
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import attach_image, make_image_bytes


def matrix_entries(m) -> list:
    def with_image(ctx) -> dict:
        image = ctx.once("image", lambda: attach_image(ctx.draft))
        return {"draft_id": ctx.draft.pk, "image_id": image.pk}

    def api_with_image(ctx) -> dict:
        image = ctx.once("image", lambda: attach_image(ctx.draft))
        return {"pk": ctx.draft.pk, "image_id": image.pk}

    def upload(ctx) -> dict:
        return {
            "file": SimpleUploadedFile("square.png", make_image_bytes(), content_type="image/png"),
            "alt_text": "A pink square",
        }

    def new_alt_text(ctx) -> dict:
        return {"alt_text": "A pink square on white"}

    page, api, Expect, to = m.page, m.api, m.Expect, m.to  # noqa: N806
    editor = to("draft-edit", m.draft_id)
    # fmt: off
    return [
        # ---- Pages -----------------------------------------------------------------------------------------
        #     URL name               method        anon out  con  rev  man  adm
        page("draft-image",          "GET",  Expect(302, 404, 200, 200, 200, 200), kwargs=with_image),
        page("draft-image",          "GET",  Expect(302, 404, 404, 200, 200, 200), kwargs=with_image,
             variant="others-draft", author="reviewer"),
        page("draft-image",          "GET",  Expect(302, 404, 200, 200, 200, 200), kwargs=with_image,
             variant="published", state="published"),
        page("draft-image",          "POST", Expect(302, 405, 405, 405, 405, 405), kwargs=with_image),
        page("draft-image-add",      "POST", Expect(302, 404, 302, 302, 302, 302), kwargs=m.draft_id, data=upload,
             redirect=editor),
        page("draft-image-add",      "POST", Expect(302, 404, 404, 302, 302, 302), kwargs=m.draft_id, data=upload,
             variant="others-draft", author="reviewer", redirect=editor),
        page("draft-image-add",      "POST", Expect(302, 404, 403, 403, 403, 403), kwargs=m.draft_id, data=upload,
             variant="in-review", state="review"),
        page("draft-image-add",      "GET",  Expect(302, 405, 405, 405, 405, 405), kwargs=m.draft_id),
        page("draft-image-update",   "POST", Expect(302, 404, 302, 302, 302, 302), kwargs=with_image,
             data=new_alt_text, redirect=editor),
        page("draft-image-update",   "POST", Expect(302, 404, 403, 403, 403, 403), kwargs=with_image,
             data=new_alt_text, variant="in-review", state="review"),
        page("draft-image-update",   "GET",  Expect(302, 405, 405, 405, 405, 405), kwargs=with_image),
        page("draft-image-remove",   "POST", Expect(302, 404, 302, 302, 302, 302), kwargs=with_image,
             data=lambda ctx: {}, redirect=editor),
        page("draft-image-remove",   "POST", Expect(302, 404, 403, 403, 403, 403), kwargs=with_image,
             data=lambda ctx: {}, variant="in-review", state="review"),
        page("draft-image-remove",   "GET",  Expect(302, 405, 405, 405, 405, 405), kwargs=with_image),

        # ---- API -------------------------------------------------------------------------------------------
        #    URL name                method           anon out  con  rev  man  adm
        api("api-draft-images",      "GET",    Expect(401, 404, 200, 200, 200, 200), kwargs=m.draft_pk),
        api("api-draft-images",      "GET",    Expect(401, 404, 404, 200, 200, 200), kwargs=m.draft_pk,
            variant="others-draft", author="reviewer"),
        api("api-draft-images",      "POST",   Expect(401, 404, 201, 201, 201, 201), kwargs=m.draft_pk, data=upload,
            format="multipart"),
        api("api-draft-images",      "POST",   Expect(401, 404, 403, 403, 403, 403), kwargs=m.draft_pk, data=upload,
            format="multipart", variant="in-review", state="review"),
        api("api-draft-image",       "PATCH",  Expect(401, 404, 200, 200, 200, 200), kwargs=api_with_image,
            data=new_alt_text),
        api("api-draft-image",       "PATCH",  Expect(401, 404, 403, 403, 403, 403), kwargs=api_with_image,
            data=new_alt_text, variant="in-review", state="review"),
        api("api-draft-image",       "DELETE", Expect(401, 404, 204, 204, 204, 204), kwargs=api_with_image),
        api("api-draft-image",       "DELETE", Expect(401, 404, 403, 403, 403, 403), kwargs=api_with_image,
            variant="in-review", state="review"),
    ]
    # fmt: on
