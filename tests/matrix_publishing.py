"""Permission-matrix rows for channels and the publication log: managers manage channels, reviewers and
managers read the log, contributors see neither."""

from django.utils import timezone

from publishing.models import Channel, Publication


def channel(ctx) -> Channel:
    def make():
        made = Channel(
            board=ctx.personas.board, kind="webhook", name="Site hook", settings={"url": "http://127.0.0.1:9/"}
        )
        made.credentials = {"secret": "s3cret"}
        made.save()
        return made

    return ctx.once("channel", make)


def publication(ctx) -> Publication:
    return ctx.once(
        "publication",
        lambda: Publication.objects.create(draft=ctx.draft, channel=channel(ctx), due_at=timezone.now()),
    )


def new_channel(ctx) -> dict:
    return {"kind": "webhook", "name": "New hook", "settings": '{"url": "https://example.com/hook"}', "credentials": ""}


def new_channel_json(ctx) -> dict:
    return {
        "board": ctx.personas.board.pk,
        "kind": "webhook",
        "name": "New hook",
        "settings": {"url": "https://example.com/h"},
    }


def edit_channel(ctx) -> dict:
    return {"kind": "webhook", "name": "Renamed", "settings": '{"url": "https://example.com/hook"}', "is_active": "on"}


def matrix_entries(m) -> list:
    def channel_id(ctx):
        return {"channel_id": channel(ctx).pk}

    def channel_pk(ctx):
        return {"pk": channel(ctx).pk}

    def publication_pk(ctx):
        return {"pk": publication(ctx).pk}

    to_channels = m.to("board-channels", m.board_slug)
    # fmt: off
    return [
        #       URL name               method          anon out  con  rev  man  adm
        m.page("board-channels",      "GET",  m.Expect(302, 404, 403, 403, 200, 200), kwargs=m.board_slug),
        m.page("board-channels",      "POST", m.Expect(302, 404, 403, 403, 302, 302), kwargs=m.board_slug,
               data=new_channel, redirect=to_channels),
        m.page("board-publications",  "GET",  m.Expect(302, 404, 403, 200, 200, 200), kwargs=m.board_slug),
        m.page("channel-edit",        "GET",  m.Expect(302, 404, 403, 403, 200, 200), kwargs=channel_id),
        m.page("channel-edit",        "POST", m.Expect(302, 404, 403, 403, 302, 302), kwargs=channel_id,
               data=edit_channel, redirect=to_channels),
        m.page("channel-test",        "GET",  m.Expect(302, 405, 405, 405, 405, 405), kwargs=channel_id),
        m.page("channel-test",        "POST", m.Expect(302, 404, 403, 403, 302, 302), kwargs=channel_id,
               redirect=to_channels),
        m.api("api-channel-list",     "GET",  m.Expect(401, 200, 200, 200, 200, 200)),
        # The board is named in the body: a board you do not manage is "no such board" (400).
        m.api("api-channel-list",     "POST", m.Expect(401, 400, 400, 400, 201, 201), data=new_channel_json),
        m.api("api-channel-detail",   "GET",  m.Expect(401, 404, 403, 403, 200, 200), kwargs=channel_pk),
        m.api("api-channel-detail",   "PATCH", m.Expect(401, 404, 403, 403, 200, 200), kwargs=channel_pk,
              data=lambda ctx: {"name": "Renamed"}),
        m.api("api-channel-test",     "POST", m.Expect(401, 404, 403, 403, 200, 200), kwargs=channel_pk),
        m.api("api-publication-list", "GET",  m.Expect(401, 200, 200, 200, 200, 200)),
        m.api("api-publication-detail", "GET", m.Expect(401, 404, 404, 200, 200, 200), kwargs=publication_pk),
    ]
    # fmt: on
