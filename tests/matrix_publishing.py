"""Permission-matrix rows for channels and the publication log: managers manage channels, reviewers and
managers read the log, contributors see neither."""

from django.utils import timezone

from publishing.models import Channel, Publication
from tests.factories import make_channel


def channel(ctx) -> Channel:
    def make():
        return make_channel(
            ctx.personas.board,
            "webhook",
            name="Site hook",
            settings={"url": "http://127.0.0.1:9/"},
            credentials={"secret": "s3cret"},
        )

    return ctx.once("channel", make)


def publication(ctx) -> Publication:
    return ctx.once(
        "publication",
        lambda: Publication.objects.create(draft=ctx.draft, channel=channel(ctx), due_at=timezone.now()),
    )


def failed_publication(ctx) -> Publication:
    """A failed publication of the target draft (walked to "failed" by the entry's state)."""
    return ctx.once(
        "failed-publication",
        lambda: Publication.objects.create(
            draft=ctx.draft, channel=channel(ctx), due_at=timezone.now(), state="failed", last_error="503"
        ),
    )


def published_publication(ctx) -> Publication:
    return ctx.once(
        "published-publication",
        lambda: Publication.objects.create(
            draft=ctx.draft, channel=channel(ctx), due_at=timezone.now(), state="published", platform_post_id="p-1"
        ),
    )


def new_channel(ctx) -> dict:
    return {
        "kind": "webhook",
        "name": "New hook",
        "setting_url": "https://example.com/hook",
        "credential_secret": "s3cret",
    }


def new_channel_json(ctx) -> dict:
    return {
        "board": ctx.personas.board.pk,
        "kind": "webhook",
        "name": "New hook",
        "settings": {"url": "https://example.com/h"},
        "credentials": {"secret": "s3cret"},
    }


def edit_channel(ctx) -> dict:
    # The same address: moving the channel would need its credentials again.
    return {"name": "Renamed", "setting_url": "http://127.0.0.1:9/", "is_active": "on"}


def matrix_entries(m) -> list:
    def channel_id(ctx):
        return {"channel_id": channel(ctx).pk}

    def channel_pk(ctx):
        return {"pk": channel(ctx).pk}

    def publication_pk(ctx):
        return {"pk": publication(ctx).pk}

    def failed_id(ctx):
        return {"publication_id": failed_publication(ctx).pk}

    def failed_pk(ctx):
        return {"pk": failed_publication(ctx).pk}

    def published_id(ctx):
        return {"publication_id": published_publication(ctx).pk}

    def published_pk(ctx):
        return {"pk": published_publication(ctx).pk}

    to_channels = m.to("board-channels", m.board_slug)
    to_log = m.to("board-publications", m.board_slug)
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
        # Retry is the draft's retry transition: managers. The log is for reviewers and managers, so a
        # contributor does not see the publication at all (404).
        m.page("publication-retry",   "GET",  m.Expect(302, 405, 405, 405, 405, 405), kwargs=failed_id),
        m.page("publication-retry",   "POST", m.Expect(302, 404, 404, 403, 302, 302), kwargs=failed_id,
               state="failed", redirect=to_log),
        # A webhook cannot be read back: a manager gets past the permission check to a 409 saying so (the
        # successful read-back is tested per platform in tests/test_adapter_*.py).
        m.page("publication-check",   "GET",  m.Expect(302, 405, 405, 405, 405, 405), kwargs=published_id),
        m.page("publication-check",   "POST", m.Expect(302, 404, 404, 403, 409, 409), kwargs=published_id),
        m.api("api-channel-list",     "GET",  m.Expect(401, 200, 200, 200, 200, 200)),
        # The board is named in the body: a board you do not manage is "no such board" (400).
        m.api("api-channel-list",     "POST", m.Expect(401, 400, 400, 400, 201, 201), data=new_channel_json),
        m.api("api-channel-detail",   "GET",  m.Expect(401, 404, 403, 403, 200, 200), kwargs=channel_pk),
        m.api("api-channel-detail",   "PATCH", m.Expect(401, 404, 403, 403, 200, 200), kwargs=channel_pk,
              data=lambda ctx: {"name": "Renamed"}),
        m.api("api-channel-test",     "POST", m.Expect(401, 404, 403, 403, 200, 200), kwargs=channel_pk),
        m.api("api-publication-list", "GET",  m.Expect(401, 200, 200, 200, 200, 200)),
        m.api("api-publication-detail", "GET", m.Expect(401, 404, 404, 200, 200, 200), kwargs=publication_pk),
        m.api("api-publication-retry", "POST", m.Expect(401, 404, 404, 403, 200, 200), kwargs=failed_pk,
              state="failed"),
        m.api("api-publication-check", "POST", m.Expect(401, 404, 404, 403, 409, 409), kwargs=published_pk),
    ]
    # fmt: on
