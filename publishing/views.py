"""Manager pages: the board's channels and the publication log. Writes go through publishing.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cocreate.views import ServiceRefused, report_service_errors
from contributors.permissions import has_board_perm
from contributors.roles import MANAGE, REVIEW
from contributors.selectors import board_get_for_user
from publishing import selectors, services
from publishing.forms import KindChoice, PublicationFilter, channel_form_class
from publishing.models import Channel, ChannelKind

DEFAULT_KIND = "webhook"


@login_required
@require_http_methods(["GET", "POST"])
def board_channels(request, slug: str):
    """The board's channels, and the form of one kind for adding another (?kind= picks which)."""
    board = board_get_for_user(request.user, slug=slug)
    selectors.require_manager(request.user, board)
    posted = request.method == "POST"
    chooser = KindChoice(request.POST if posted else request.GET or None, initial={"kind": DEFAULT_KIND})
    kind = chooser.cleaned_data["kind"] if chooser.is_valid() else DEFAULT_KIND
    form = channel_form_class(kind)(request.POST if posted and chooser.is_valid() else None)
    status = 200
    if posted:
        status = 400
        if chooser.is_valid() and form.is_valid():
            try:
                with report_service_errors(request):
                    services.channel_create(
                        board=board,
                        actor=request.user,
                        kind=kind,
                        name=form.cleaned_data["name"],
                        settings=form.settings_data(),
                        credentials=form.credentials_data() or {},
                        is_active=form.cleaned_data["is_active"],
                    )
                messages.success(request, "Channel added.")
                return redirect("board-channels", slug=board.slug)
            except ServiceRefused as refused:
                status = refused.status
    elif chooser.errors:
        status = 400
    channels = Channel.objects.filter(board=board).order_by("name")
    context = {
        "board": board,
        "channels": channels,
        "chooser": chooser,
        "kind": kind,
        "kind_label": ChannelKind(kind).label,
        "form": form,
    }
    return render(request, "publishing/board_channels.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def channel_edit(request, channel_id: int):
    channel = selectors.channel_get_for_manager(request.user, channel_id)
    form = channel_form_class(channel.kind)(request.POST or None, channel=channel)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                with report_service_errors(request):
                    services.channel_update(
                        channel=channel,
                        actor=request.user,
                        name=form.cleaned_data["name"],
                        settings=form.settings_data(),
                        credentials=form.credentials_data(),
                        is_active=form.cleaned_data["is_active"],
                    )
                messages.success(request, "Channel saved.")
                return redirect("board-channels", slug=channel.board.slug)
            except ServiceRefused as refused:
                status = refused.status
    context = {"board": channel.board, "channel": channel, "form": form}
    return render(request, "publishing/channel_edit.html", context, status=status)


@login_required
@require_POST
def channel_test(request, channel_id: int):
    channel = selectors.channel_get_for_manager(request.user, channel_id)
    worked, message = services.channel_test(channel=channel, actor=request.user)
    (messages.success if worked else messages.error)(request, f"{channel.name}: {message}")
    return redirect("board-channels", slug=channel.board.slug)


@login_required
def board_publications(request, slug: str):
    board = board_get_for_user(request.user, slug=slug)
    return _publication_log(request, board)


def _publication_log(request, board, status: int = 200):
    if not has_board_perm(request.user, board, REVIEW):
        raise PermissionDenied("The publication log is for the board's reviewers and managers.")
    filters = PublicationFilter(request.GET or None)
    channels = list(Channel.objects.filter(board=board).order_by("name", "pk"))
    valid = filters.is_valid()
    page = selectors.publication_log_page(
        board,
        channels=channels,
        state=filters.cleaned_data["state"] if valid else None,
        channel_id=filters.cleaned_data["channel"] if valid else None,
        after=request.GET.get("after") or None,
        before=request.GET.get("before") or None,
    )
    context = {
        "board": board,
        "page": page,
        "filters": filters,
        "channels": channels,
        "can_manage": has_board_perm(request.user, board, MANAGE),
    }
    if filters.errors:
        status = 400
    return render(request, "publishing/board_publications.html", context, status=status)


@login_required
@require_POST
def publication_retry(request, publication_id: int):
    return _act_on_publication(
        request, publication_id, services.publication_retry, "Sending the failed channels again."
    )


@login_required
@require_POST
def publication_check(request, publication_id: int):
    def check(*, publication_id, actor):
        publication = services.publication_check(publication_id=publication_id, actor=actor)
        (messages.success if publication.live else messages.warning)(
            request, f"{publication.channel.name}: {publication.check_detail}"
        )

    return _act_on_publication(request, publication_id, check, "")


def _act_on_publication(request, publication_id: int, action, success: str):
    """Run a service on one publication, then back to the log (or the log with the refusal and its status)."""
    publication = selectors.publication_get_for_user(request.user, publication_id)
    board = publication.draft.board
    try:
        with report_service_errors(request):
            action(publication_id=publication.pk, actor=request.user)
    except ServiceRefused as refused:
        return _publication_log(request, board, status=refused.status)
    if success:
        messages.success(request, success)
    return redirect("board-publications", slug=board.slug)
