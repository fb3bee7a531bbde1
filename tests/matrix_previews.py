"""Permission-matrix rows for the per-channel previews of a draft (see tests/test_permission_matrix.py).

Previews follow their draft: whoever may read the draft may read them, 404 for everyone else."""

from tests.factories import make_channel


def matrix_entries(m) -> list:
    def draft_with_channel(ctx) -> dict:
        ctx.once(
            "preview-channel",
            lambda: make_channel(
                ctx.personas.board,
                "mastodon",
                name="Fediverse",
                settings={"url": "https://mastodon.example"},
                credentials={"token": "t"},
            ),
        )
        return {"pk": ctx.draft.pk}

    # fmt: off
    return [
        #    URL name               method  anon out  con  rev  man  adm
        m.api("api-draft-previews", "GET", m.Expect(401, 404, 200, 200, 200, 200), kwargs=draft_with_channel),
        m.api("api-draft-previews", "GET", m.Expect(401, 404, 404, 200, 200, 200), kwargs=draft_with_channel,
              variant="others-draft", author="reviewer"),
    ]
    # fmt: on
