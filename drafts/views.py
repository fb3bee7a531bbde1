"""Web pages for drafts. Every access goes through a selector; every write through drafts.services."""

import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cocreate.views import ServiceRefused, report_service_errors
from contributors.agreements.gate import require_access
from contributors.briefs.selectors import brief_claim_for_draft
from contributors.guidelines.selectors import guideline_panel
from contributors.selectors import board_get_for_user, board_members
from drafts import autosave, diffing, rules, selectors, services, steps
from drafts import images as draft_images
from drafts.editor_context import editor_page_context
from drafts.forms import (
    CommentForm,
    CommentResolveForm,
    DraftForm,
    DraftImageForm,
    DraftImageRemoveForm,
    DraftImageUpdateForm,
    transition_form_class,
)
from drafts.gates import argument_choices
from drafts.planning.pillar_selectors import draft_pillar_choices
from publishing.selectors import draft_previews


def _detail_context(request, draft, bound_form=None) -> dict:
    user = request.user
    transitions = selectors.draft_available_transitions(draft, user)
    publications = list(draft.publications.select_related("channel").order_by("due_at", "channel__name"))
    threads, resolved_left_out = _threads_for(draft, user)
    is_reviewer = rules.can_review(draft, user)
    return {
        "draft": draft,
        "board": draft.board,
        "history": selectors.draft_history_page(draft),  # the latest events; older ones a page at a time
        "threads": threads,
        "resolved_left_out": resolved_left_out,
        "passage_threads": [thread for thread in threads if thread.quote],
        "draft_threads": [thread for thread in threads if not thread.quote],
        "transitions": transitions,
        "actions": [_action(draft, steps.STEPS[name], bound_form) for name in transitions],
        "can_edit": rules.can_edit(draft, user),
        "coauthor_choices": _coauthor_choices(draft, user),
        **draft_pillar_choices(user, draft),
        "comment_form": CommentForm(),
        "images": draft.images.all(),
        "revision_count": draft.revisions.count(),
        "brief_claim": brief_claim_for_draft(draft),
        "changes_request": selectors.changes_request_for(draft),
        "queue_place": selectors.review_queue_place(draft, user) if is_reviewer else None,
        "since_review": _since_review(draft, user) if is_reviewer and draft.state == "review" else None,
        # Each channel's post exactly as it would be sent now (publishing's renderers).
        "previews": draft_previews(draft),
        # Where the draft goes (or went) out, from the publishing app's reverse relation.
        "publications": publications,
        "times_differ": len({publication.due_at for publication in publications}) > 1,
    }


def _threads_for(draft, user) -> tuple[list, int]:
    """The comment threads the draft page shows (open ones and the latest resolved), located in its text, each
    knowing whether this user may resolve it; and how many older resolved threads are on their own page."""
    threads, left_out = selectors.comment_threads_shown(draft)
    return _may_resolve(draft, user, threads), left_out


def _may_resolve(draft, user, threads: list) -> list:
    # Worked out once for the draft (is_author reads the co-authors), then per thread only its author.
    resolves_any = rules.is_author(draft, user) or rules.can_review(draft, user)
    for thread in threads:
        thread.can_resolve = resolves_any or thread.author_id == user.pk
    return threads


def _since_review(draft, user):
    """What changed since this reviewer last reviewed the draft (None: nothing to compare with)."""
    old = selectors.last_reviewed_revision(draft, user)
    new = draft.revisions.order_by("-number").first()
    if old is None or new is None or old.number == new.number:
        return None
    return diffing.revision_changes(old, new)


def _action(draft, step, bound_form=None) -> dict:
    """A button of the draft page: the step and an empty form for its inputs (ids apart per step), or the
    form as it was sent when it was refused, so nothing typed is lost."""
    if bound_form is not None and bound_form.step.name == step.name:
        # The page now shows the draft as it is: a resend is made against that version.
        bound_form.data = bound_form.data.copy()
        bound_form.data["version"] = str(draft.version)
        return {"step": step, "form": bound_form}
    form_class = _transition_form_class(draft, step)
    return {"step": step, "form": form_class(initial={"version": draft.version}, auto_id=f"id_{step.name}_%s")}


def _transition_form_class(draft, step):
    choices = {
        argument.name: argument_choices(step.name, argument.name, draft=draft)
        for argument in step.arguments
        if argument.kind == "channels"
    }
    return transition_form_class(step, time_zone=draft.board.time_zone, choices=choices)


def _coauthor_choices(draft, user) -> list[tuple]:
    """(user, is co-author) for everyone who writes for the board, when this user may choose co-authors."""
    if not rules.can_set_coauthors(draft, user):
        return []
    current = {u.pk for u in draft.coauthors.all()}
    return [(member, member.pk in current) for member, _ in board_members(draft.board) if member.pk != draft.author_id]


def _render_detail(request, draft_id: int, status: int = 200, bound_form=None, **extra):
    draft = selectors.draft_get_for_user(request.user, draft_id)
    context = {**_detail_context(request, draft, bound_form), **extra}
    return render(request, "drafts/draft_detail.html", context, status=status)


def _act_then_show_draft(request, draft, service_call, bound_form=None):
    """Run a service call: back to the draft on success, or the draft page with the reason and its status
    (and the refused form, its fields' messages beside them)."""
    try:
        with report_service_errors(request):
            service_call()
    except ServiceRefused as refused:
        if bound_form is not None:
            for field, errors in refused.field_errors.items():
                bound_form.add_error(field if field in bound_form.fields else None, errors)
        return _render_detail(request, draft.pk, status=refused.status, bound_form=bound_form)
    return redirect("draft-detail", draft_id=draft.pk)


@login_required
def draft_detail(request, draft_id: int):
    return _render_detail(request, draft_id)


@login_required
@require_http_methods(["GET", "POST"])
def draft_create(request, slug: str):
    """The new-draft page. Its form may carry a first image (multipart): draft and image are created together
    or not at all, and the writer carries on in the editor. editor.js saves in the background instead."""
    board = board_get_for_user(request.user, slug=slug)
    if request.method == "GET":
        require_access(request.user, board)  # to the agreement first; a POST keeps its text (draft_create refuses)
    form = DraftForm(request.POST or None, board=board)
    image_form = DraftImageForm(request.POST or None, request.FILES or None, auto_id="id_image_%s")
    wants_image = request.method == "POST" and bool(request.FILES.get("file"))
    status = 200
    if request.method == "POST" and form.is_valid() and (not wants_image or image_form.is_valid()):
        images = [(image_form.cleaned_data["file"], image_form.cleaned_data["alt_text"])] if wants_image else []
        try:
            with report_service_errors(request):
                draft = autosave.draft_start(board=board, author=request.user, images=images, **form.content())
            return redirect("draft-edit" if images else "draft-detail", draft_id=draft.pk)
        except ServiceRefused as refused:
            status = refused.status
    elif request.method == "POST":
        status = 400
    if wants_image and status != 200:
        messages.info(request, "Nothing was saved, so choose the image again (browsers do not keep a chosen file).")
    context = {
        "form": form,
        "board": board,
        "image_form": image_form if wants_image else DraftImageForm(auto_id="id_image_%s"),
        "max_images": draft_images.max_per_draft(),
        **guideline_panel(request.user, board),
        **editor_page_context(board=board, form=form, draft=None),
    }
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
        **images_context(draft, alt_text=alt_text),
        **guideline_panel(request.user, draft.board),
        **editor_page_context(board=draft.board, form=form, draft=draft),
    }
    return render(request, "drafts/draft_form.html", context, status=status)


def images_context(draft, *, alt_text: str = "") -> dict:
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
    context = {"draft": draft, "fragment": True, **images_context(draft, alt_text=alt_text)}
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
    form = _transition_form_class(draft, step)(request.POST, auto_id=f"id_{step.name}_%s")
    # The browser's datetime-local field has no offset: it means the board's local time. The form field
    # makes a naive value aware in the current time zone, so validate with the board's zone active.
    with timezone.override(zoneinfo.ZoneInfo(draft.board.time_zone)):
        valid = form.is_valid()
    if not valid:
        declared = {argument.name for argument in step.arguments}
        for field, errors in form.errors.items():
            name = field if field in declared or field not in form.fields else form.fields[field].label
            for error in errors:
                messages.error(request, f"{name}: {error}")
        return _render_detail(request, draft.pk, status=400, bound_form=form)
    version = form.cleaned_data["version"]
    arguments = form.step_arguments()
    return _act_then_show_draft(
        request,
        draft,
        lambda: services.draft_transition(
            draft_id=draft.pk, name=step.name, actor=request.user, expected_version=version, **arguments
        ),
        bound_form=form,
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
    comment = None
    if form.is_valid():
        try:
            with report_service_errors(request):
                comment = services.comment_create(draft_id=draft.pk, author=request.user, **form.service_arguments())
            form = CommentForm()
        except ServiceRefused as refused:
            status = refused.status
    else:
        status = 400
        for field in ("quote", "parent", "position"):
            for error in form.errors.get(field, []):
                messages.error(request, f"{field}: {error}")
    if not request.htmx:
        if comment is not None:
            return redirect(reverse("draft-detail", args=[draft.pk]) + f"#comment-{comment.pk}")
        return _render_detail(request, draft.pk, status, comment_form=form)
    threads, resolved_left_out = _threads_for(draft, request.user)
    context = {
        "draft": draft,
        "board": draft.board,
        "draft_threads": [thread for thread in threads if not thread.quote],
        "resolved_left_out": resolved_left_out,
        "comment_form": form,
    }
    return render(request, "drafts/_comments.html", context, status=200 if status == 201 else status)


@login_required
@require_POST
def comment_resolve(request, draft_id: int, comment_id: int):
    draft = selectors.draft_get_for_user(request.user, draft_id)
    comment = selectors.comment_get(draft, comment_id)
    form = CommentResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say whether to resolve the comment or open it again.")
        return _render_detail(request, draft.pk, status=400)
    try:
        with report_service_errors(request):
            services.comment_resolve(
                draft_id=draft.pk, comment_id=comment.pk, actor=request.user, resolved=form.cleaned_data["resolved"]
            )
    except ServiceRefused as refused:
        return _render_detail(request, draft.pk, status=refused.status)
    return redirect(reverse("draft-detail", args=[draft.pk]) + f"#comment-{comment.pk}")


@login_required
def draft_history(request, draft_id: int):
    """Older events of the draft page's history: the fragment htmx asked for ("Show older events"), or a
    page of its own without JavaScript."""
    draft = selectors.draft_get_for_user(request.user, draft_id)
    history = selectors.draft_history_page(
        draft, after=request.GET.get("after") or None, before=request.GET.get("before") or None
    )
    context = {"draft": draft, "board": draft.board, "history": history}
    template = "drafts/_history.html" if request.htmx else "drafts/draft_history.html"
    return render(request, template, context)


@login_required
def draft_resolved_comments(request, draft_id: int):
    """The draft's resolved comment threads a page at a time, the latest resolved first (the draft page shows
    only the most recent few)."""
    draft = selectors.draft_get_for_user(request.user, draft_id)
    page = selectors.resolved_threads_page(
        draft, after=request.GET.get("after") or None, before=request.GET.get("before") or None
    )
    _may_resolve(draft, request.user, page.rows)
    context = {"draft": draft, "board": draft.board, "page": page}
    return render(request, "drafts/draft_resolved_comments.html", context)


@login_required
def draft_revisions(request, draft_id: int):
    draft = selectors.draft_get_for_user(request.user, draft_id)
    revisions = draft.revisions.select_related("author").order_by("-number")
    return render(
        request, "drafts/draft_revisions.html", {"draft": draft, "board": draft.board, "revisions": revisions}
    )


@login_required
def draft_diff(request, draft_id: int):
    """Two revisions compared word by word. By default: since the revision this user last reviewed (or the
    previous round's), to the latest; `from` and `to` pick any two."""
    draft = selectors.draft_get_for_user(request.user, draft_id)
    try:
        from_number = int(request.GET["from"]) if request.GET.get("from") else None
        to_number = int(request.GET["to"]) if request.GET.get("to") else None
    except ValueError:
        return render(request, "error.html", {"message": "Revision numbers must be whole numbers."}, status=400)
    old, new, since_review = selectors.revisions_to_compare(
        draft, request.user, from_number=from_number, to_number=to_number
    )
    context = {
        "draft": draft,
        "board": draft.board,
        "old": old,
        "new": new,
        "since_review": since_review,
        "changes": diffing.revision_changes(old, new),
        "current_images": {image.sha256: image for image in draft.images.all()},
        "revision_numbers": list(draft.revisions.order_by("-number").values_list("number", flat=True)),
    }
    return render(request, "drafts/draft_diff.html", context)
