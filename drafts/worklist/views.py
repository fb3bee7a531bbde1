"""Pages: My work (`/`), the review queue (`/review/`) and a board's settings (`/boards/<slug>/settings/`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cocreate.views import ServiceRefused, report_service_errors
from contributors import services as board_services
from contributors.permissions import require_manager
from contributors.selectors import board_get_for_user
from drafts.worklist import selectors
from drafts.worklist.forms import BoardSettingsForm


@login_required
def my_work(request):
    work = selectors.my_work(request.user)
    return render(request, "worklist/my_work.html", {"work": work})


@login_required
def review_queue(request):
    filters = selectors.queue_filters_parse(request.GET)  # a bad filter: 400 naming it
    boards = selectors.user_boards(request.user)
    queue = selectors.review_queue_page(
        request.user,
        filters,
        after=request.GET.get("after") or None,
        before=request.GET.get("before") or None,
        boards=boards,
    )
    context = {
        "queue": queue,
        "filters": filters,
        "states": [(name, label) for name, (label, _rows) in selectors.QUEUE_STATES.items()],
        "sorts": [(name, spec[0]) for name, spec in selectors.QUEUE_SORTS.items()],
        "waiting_choices": list(selectors.QUEUE_WAITING.items()),
        "authors": selectors.queue_authors(boards),
        "channel_kinds": selectors.queue_channel_kinds(boards),
        "filtered": any([filters.board, filters.author, filters.tag, filters.channel, filters.waiting]),
    }
    return render(request, "worklist/review_queue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def board_settings(request, slug: str):
    board = board_get_for_user(request.user, slug=slug)
    require_manager(request.user, board)
    form = BoardSettingsForm(request.POST or None, initial={"review_due_hours": board.review_due_hours})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                with report_service_errors(request):
                    board_services.board_settings_update(
                        board=board, actor=request.user, review_due_hours=form.cleaned_data["review_due_hours"]
                    )
                messages.success(request, f"Saved: a draft may now wait {board.review_due_hours} hours in review.")
                return redirect("board-settings", slug=board.slug)
            except ServiceRefused as refused:
                status = refused.status
    return render(request, "worklist/board_settings.html", {"board": board, "form": form}, status=status)
