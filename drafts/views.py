"""Web pages for drafts. Every access goes through a selector; every write through drafts.services."""

import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cocreate.views import ServiceRefused, report_service_errors
from contributors.briefs.selectors import brief_claim_for_draft
from contributors.guidelines.selectors import guideline_panel
from contributors.selectors import board_get_for_user, board_members
from drafts import images as draft_images
from drafts import rules, selectors, services, steps
from drafts.forms import (
    CommentForm,
    DraftForm,
    DraftImageForm,
    DraftImageRemoveForm,
    DraftImageUpdateForm,
    transition_form_class,
)
from publishing.selectors import draft_previews


def _detail_context(request, draft) -> dict:
    transitions = selectors.draft_available_transitions(draft, request.user)
    return {
        "draft": draft,
        "board": draft.board,
        "events": draft.events.select_related("actor"),
        "comments": draft.comments.select_related("author"),
        "transitions": transitions,
        "actions": [_action(draft, steps.STEPS[name]) for name in transitions],
        "can_edit": rules.can_edit(draft, request.user),
        "coauthor_choices": _coauthor_choices(draft, request.user),
        "comment_form": CommentForm(),
        "images": draft.images.all(),
        "revision_count": draft.revisions.count(),
        "brief_claim": brief_claim_for_draft(draft),
        # Where the draft goes (or went) out, from the publishing app's reverse relation.
        "publications": draft.publications.select_related("channel").order_by("channel__name"),
    }


def _action(draft, step) -> dict:
    """A button of the draft page: the step and an empty form for its inputs (ids apart per step)."""
    form_class = transition_form_class(step, time_zone=draft.board.time_zone)
    return {"step": step, "form": form_class(initial={"version": draft.version}, auto_id=f"id_{step.name}_%s")}


def _coauthor_choices(draft, user) -> list[tuple]:
    """(user, is co-author) for everyone who writes for the board, when this user may choose co-authors."""
    if not rules.can_set_coauthors(draft, user):
        return []
    current = {u.pk for u in draft.coauthors.all()}
    return [(member, member.pk in current) for member, _ in board_members(draft.board) if member.pk != draft.author_id]


def _render_detail(request, draft_id: int, status: int = 200, **extra):
    draft = selectors.draft_get_for_user(request.user, draft_id)
    context = {**_detail_context(request, draft), "previews": draft_previews(draft), **extra}
    return render(request, "drafts/draft_detail.html", context, status=status)


def _act_then_show_draft(request, draft, service_call):
    """Run a service call: back to the draft on success, or the draft page with the reason and its status."""
    try:
        with report_service_errors(request):
            service_call()
    except ServiceRefused as refused:
        return _render_detail(request, draft.pk, status=refused.status)
    return redirect("draft-detail", draft_id=draft.pk)


@login_required
def draft_detail(request, draft_id: int):
    return _render_detail(request, draft_id)


@login_required
@require_http_methods(["GET", "POST"])
def draft_create(request, slug: str):
    board = board_get_for_user(request.user, slug=slug)
    form = DraftForm(request.POST or None, board=board)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            with report_service_errors(request):
                draft = services.draft_create(board=board, author=request.user, **form.content())
            return redirect("draft-detail", draft_id=draft.pk)
        except ServiceRefused as refused:
            status = refused.status
    elif request.method == "POST":
        status = 400
    context = {"form": form, "board": board, **guideline_panel(request.user, board)}
    return render(request, "drafts/draft_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def draft_edit(request, draft_id: int):
    draft = selectors.draft_get_for_user(request.user, draft_id)
    status = 200
    if request.method == "POST":
        form = DraftForm(request.POST, draft=draft)
        if form.is_valid():
            try:
                with report_service_errors(request):
                    services.draft_update(
                        draft_id=draft.pk,
                        actor=request.user,
                        version=form.cleaned_data["version"] or 0,
                        **form.content(),
                    )
                return redirect("draft-detail", draft_id=draft.pk)
            except ServiceRefused as refused:
                status = refused.status
        else:
            status = 400
    else:
        if not rules.can_edit(draft, request.user):
            raise PermissionDenied("This draft cannot be edited now.")
        form = DraftForm(initial=DraftForm.initial_for(draft), draft=draft)
    # On a conflict the user keeps what they typed; the page shows the newer version beside it.
    return _render_edit(request, draft, form, status)


def _render_edit(request, draft, form, status: int = 200, *, alt_text: str = ""):
    context = {
        "form": form,
        "board": draft.board,
        "draft": draft,
        **_images_context(draft, alt_text=alt_text),
        **guideline_panel(request.user, draft.board),
    }
    return render(request, "drafts/draft_form.html", context, status=status)


def _images_context(draft, *, alt_text: str = "") -> dict:
    return {
        "images": list(draft.images.all()),
        # Its own ids: the text form on the same page has an id_version of its own.
        "image_form": DraftImageForm(auto_id="id_image_%s", initial={"version": draft.version, "alt_text": alt_text}),
        "max_images": draft_images.max_per_draft(),
    }


def _image_action(request, draft, service_call=None, *, alt_text: str = ""):
    """Run an image service call (None: the form was refused already, 400). Without htmx: back to the editor,
    or the editor with the reason and its status. With htmx: the images section in place, with its messages
    and status. `alt_text` is what the user typed, kept in the upload form when the upload is refused."""
    status = 400
    if service_call is not None:
        try:
            with report_service_errors(request):
                service_call()
            status, alt_text = 200, ""
        except ServiceRefused as refused:
            status = refused.status
    draft = selectors.draft_get_for_user(request.user, draft.pk)  # the version the call left behind
    if not request.htmx:
        if status == 200:
            return redirect("draft-edit", draft_id=draft.pk)
        form = DraftForm(initial=DraftForm.initial_for(draft), draft=draft)
        return _render_edit(request, draft, form, status, alt_text=alt_text)
    context = {"draft": draft, "fragment": True, **_images_context(draft, alt_text=alt_text)}
    return render(request, "drafts/_images.html", context, status=status)


def _form_refused(request, draft, form):
    for field, errors in form.errors.items():
        for error in errors:
            messages.error(request, f"{field}: {error}")
    return _image_action(request, draft, alt_text=request.POST.get("alt_text", ""))


@login_required
@require_POST
def draft_image_add(request, draft_id: int):
    draft = selectors.draft_get_for_user(request.user, draft_id)
    form = DraftImageForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_refused(request, draft, form)
    data = form.cleaned_data
    return _image_action(
        request,
        draft,
        lambda: draft_images.draft_image_add(
            draft_id=draft.pk,
            actor=request.user,
            upload=data["file"],
            alt_text=data["alt_text"],
            version=data["version"],
        ),
        alt_text=data["alt_text"],
    )


@login_required
@require_POST
def draft_image_update(request, draft_id: int, image_id: int):
    draft = selectors.draft_get_for_user(request.user, draft_id)
    image = selectors.draft_image_get(draft, image_id)
    form = DraftImageUpdateForm(request.POST)
    if not form.is_valid():
        return _form_refused(request, draft, form)
    data = form.cleaned_data
    position = data["position"]
    if data["move"]:
        position = max(0, image.position + (-1 if data["move"] == "up" else 1))
        position = min(position, draft.images.count() - 1)
    return _image_action(
        request,
        draft,
        lambda: draft_images.draft_image_update(
            draft_id=draft.pk,
            image_id=image.pk,
            actor=request.user,
            # A form without the alt text field (the move buttons) leaves it as it is.
            alt_text=data["alt_text"] if "alt_text" in request.POST else None,
            position=position,
            version=data["version"],
        ),
    )


@login_required
@require_POST
def draft_image_remove(request, draft_id: int, image_id: int):
    draft = selectors.draft_get_for_user(request.user, draft_id)
    image = selectors.draft_image_get(draft, image_id)
    form = DraftImageRemoveForm(request.POST)
    if not form.is_valid():
        return _form_refused(request, draft, form)
    return _image_action(
        request,
        draft,
        lambda: draft_images.draft_image_remove(
            draft_id=draft.pk, image_id=image.pk, actor=request.user, version=form.cleaned_data["version"]
        ),
    )


@login_required
@require_safe
def draft_image(request, draft_id: int, image_id: int):
    """The image's bytes, to whoever may see the draft (404 for everyone else, as for the draft)."""
    draft = selectors.draft_get_for_user(request.user, draft_id)
    image = selectors.draft_image_get(draft, image_id)
    try:
        file = image.file.open("rb")
    except FileNotFoundError:
        raise Http404("No such image.") from None
    response = FileResponse(file, content_type=image.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # An image id always means the same bytes (a new upload is a new image), but access can be taken away.
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def draft_transition(request, draft_id: int, name: str):
    draft = selectors.draft_get_for_user(request.user, draft_id)
    step = steps.step_get(name)
    form = transition_form_class(step)(request.POST)
    # The browser's datetime-local field has no offset: it means the board's local time. The form field
    # makes a naive value aware in the current time zone, so validate with the board's zone active.
    with timezone.override(zoneinfo.ZoneInfo(draft.board.time_zone)):
        valid = form.is_valid()
    if not valid:
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{field}: {error}")
        return _render_detail(request, draft.pk, status=400)
    arguments = dict(form.cleaned_data)
    version = arguments.pop("version")
    return _act_then_show_draft(
        request,
        draft,
        lambda: services.draft_transition(
            draft_id=draft.pk, name=step.name, actor=request.user, expected_version=version, **arguments
        ),
    )


@login_required
@require_POST
def draft_coauthors(request, draft_id: int):
    draft = selectors.draft_get_for_user(request.user, draft_id)
    try:
        ids = [int(value) for value in request.POST.getlist("coauthors")]
    except ValueError:
        messages.error(request, "coauthors: choose people from the list.")
        return _render_detail(request, draft.pk, status=400)
    return _act_then_show_draft(
        request, draft, lambda: services.draft_coauthors_set(draft_id=draft.pk, actor=request.user, coauthor_ids=ids)
    )


@login_required
@require_POST
def comment_create(request, draft_id: int):
    draft = selectors.draft_get_for_user(request.user, draft_id)
    form = CommentForm(request.POST)
    status = 201
    if form.is_valid():
        try:
            with report_service_errors(request):
                services.comment_create(draft_id=draft.pk, author=request.user, body=form.cleaned_data["body"])
            form = CommentForm()
        except ServiceRefused as refused:
            status = refused.status
    else:
        status = 400
    if not request.htmx:
        return (
            redirect("draft-detail", draft_id=draft.pk)
            if status == 201
            else _render_detail(request, draft.pk, status, comment_form=form)
        )
    context = {"draft": draft, "comments": draft.comments.select_related("author"), "comment_form": form}
    return render(request, "drafts/_comments.html", context, status=200 if status == 201 else status)


@login_required
def draft_revisions(request, draft_id: int):
    draft = selectors.draft_get_for_user(request.user, draft_id)
    revisions = draft.revisions.select_related("author").order_by("-number")
    return render(
        request, "drafts/draft_revisions.html", {"draft": draft, "board": draft.board, "revisions": revisions}
    )


@login_required
def draft_diff(request, draft_id: int):
    draft = selectors.draft_get_for_user(request.user, draft_id)
    try:
        from_number = int(request.GET["from"]) if request.GET.get("from") else None
        to_number = int(request.GET["to"]) if request.GET.get("to") else None
    except ValueError:
        return render(request, "error.html", {"message": "Revision numbers must be whole numbers."}, status=400)
    old, new = selectors.revision_pair(draft, from_number=from_number, to_number=to_number)
    context = {"draft": draft, "board": draft.board, "old": old, "new": new, "diff": selectors.revision_diff(old, new)}
    return render(request, "drafts/draft_diff.html", context)
