from django.db.models import QuerySet, prefetch_related_objects
from django.http import Http404

from cocreate.keyset import KeysetPage, keyset_page
from contributors.permissions import require_manager
from contributors.roles import MANAGE, REVIEW
from contributors.selectors import board_get_for_user, board_ids_with_perm
from publishing.models import Channel, ChannelKind, Publication
from publishing.rendering import channel_key, kind_key
from publishing.rendering.previews import rendering_for

NO_SUCH_CHANNEL = "No such channel."


def channel_get_for_manager(user, pk: int) -> Channel:
    """The channel, 404 when its board is invisible to the user, 403 when they may see but not manage it.

    Both 404s say the same, so an outsider cannot tell a channel on someone else's board from none."""
    channel = Channel.objects.select_related("board").filter(pk=pk).first()
    if channel is None:
        raise Http404(NO_SUCH_CHANNEL)
    try:
        board_get_for_user(user, pk=channel.board_id)  # 404 for anyone without a role on the board
    except Http404:
        raise Http404(NO_SUCH_CHANNEL) from None
    require_manager(user, channel.board)
    return channel


def channels_for_manager(user) -> QuerySet[Channel]:
    return Channel.objects.filter(board__in=board_ids_with_perm(user, MANAGE)).select_related("board")


def publications_for_user(user) -> QuerySet[Publication]:
    """The publication log: for the board's reviewers and managers (and site admins)."""
    return (
        Publication.objects.filter(draft__board__in=board_ids_with_perm(user, REVIEW))
        .select_related("draft", "channel", "draft__board")
        .order_by("-due_at", "-id")
    )


# What GET /api/publications/ returns of each row (PublicationSerializer): drafts' bodies and variants, and the
# channels' settings and credentials, are not read for a list.
API_LIST_COLUMNS = (
    "id", "draft_id", "channel_id", "state", "due_at", "attempts", "last_error", "platform_post_id",
    "platform_url", "published_at", "checked_at", "live", "check_detail", "updated_at", "draft__board_id",
    "channel__name",
)  # fmt: skip


def publications_listed_for_user(user) -> QuerySet[Publication]:
    return publications_for_user(user).select_related(None).select_related("draft", "channel").only(*API_LIST_COLUMNS)


# What the publication log shows of each row: nothing else is read (bodies, variants, fingerprints stay put).
LOG_COLUMNS = (
    "id", "draft_id", "channel_id", "state", "due_at", "attempts", "last_error", "platform_post_id",
    "platform_url", "published_at", "checked_at", "live", "check_detail", "draft__title", "draft__state",
)  # fmt: skip
LOG_PAGE_SIZE = 50


def publication_log_page(
    board,
    *,
    channels: list[Channel],
    state: str | None = None,
    channel_id: int | None = None,
    after: str | None = None,
    before: str | None = None,
    size: int = LOG_PAGE_SIZE,
) -> KeysetPage:
    """One page of the board's publication log, latest due first (the caller has checked the user may read
    it), in one query: on PostgreSQL each channel's rows are read for at most a page from the
    (channel, [state,] due_at, id) index, so the cost is the page's, however long the history.
    A ValidationError for a broken cursor."""
    by_id = {channel.pk: channel for channel in channels}
    chosen = [channel_id] if channel_id else list(by_id)
    # The board's channels scope the log (a publication is always on one of its draft's board's channels):
    # a filter on the draft's board too would make the planner leave the per-channel indexes.
    rows = Publication.objects.select_related("draft").only(*LOG_COLUMNS)
    if state:
        rows = rows.filter(state=state)
    page = keyset_page(
        rows,
        key="due_at",
        descending=True,
        size=size,
        after=after,
        before=before,
        key_is_time=True,
        split_field="channel_id",
        split_values=[pk for pk in chosen if pk in by_id],
    )
    for publication in page.rows:
        publication.channel = by_id[publication.channel_id]
    return page


def publication_get_for_user(user, pk: int) -> Publication:
    """One publication of the log: 404 for anyone who may not see the board's log."""
    publication = publications_for_user(user).filter(pk=pk).first()
    if publication is None:
        raise Http404("No such publication.")
    return publication


def draft_previews(draft) -> list[dict]:
    """One entry per active channel of the draft's board: exactly what that platform would be sent now
    (text, and HTML where it takes HTML), its length by the platform's rule, the limit and the problems
    that would stop scheduling. The caller has already loaded the draft for the user (draft_get_for_user).

    A fixed number of queries: the channels, and the draft's images once (prefetched for every channel)."""
    prefetch_related_objects([draft], "images")
    draft.board  # noqa: B018 - loaded once for every channel's post
    previews = []
    for channel in Channel.objects.filter(board_id=draft.board_id, is_active=True).order_by("name", "pk"):
        rendering = rendering_for(draft, channel)
        previews.append(
            {
                "channel": channel.pk,
                "name": channel.name,
                "kind": channel.kind,
                "kind_label": channel.get_kind_display(),
                "text": rendering.text,
                "html": rendering.html,
                "length": rendering.length,
                "limit": rendering.limit,
                "over_limit": rendering.over_limit,
                "problems": list(rendering.problems),
                "extra": rendering.extra,
            }
        )
    return previews


def variant_targets(board, *, offered: bool = False) -> dict[str, str]:
    """What a draft on this board may carry its own text for: each of its channels (`channel:<id>`, the
    inactive ones too, so switching a channel off does not make its drafts unsavable) and each kind.
    offered: what the editor offers a box for: the active channels, and each kind the board has two or more
    active channels of (one text for both Mastodon accounts; with one channel its own box says it all)."""
    found = Channel.objects.filter(board_id=board.pk).order_by("name", "pk")
    channels = list(found.filter(is_active=True) if offered else found)
    targets = {channel_key(channel.pk): f"{channel.name} ({channel.get_kind_display()})" for channel in channels}
    kinds = ChannelKind if not offered else [kind for kind in ChannelKind if _count_of(channels, kind) >= 2]
    targets.update({kind_key(kind.value): f"every {kind.label} channel" for kind in kinds})
    return targets


def _count_of(channels: list[Channel], kind) -> int:
    return sum(1 for channel in channels if channel.kind == kind)
