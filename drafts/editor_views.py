"""The editor's background endpoints: the live preview, autosave, and a draft started from the new-draft page.

They answer htmx (the preview, an HTML fragment) and editor.js (autosave, JSON). Every write goes through
drafts.autosave, which calls drafts.services and drafts.images; every read through the selectors.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from cocreate import limits
from cocreate.errors import Conflict, refusal_for
from contributors.agreements.gate import require_access
from contributors.guidelines.selectors import guideline_check, guideline_panel, role_for_checks
from contributors.permissions import has_board_perm
from contributors.roles import CONTRIBUTE
from contributors.selectors import board_get_for_user
from contributors.templatetags.zoned import zone_of
from drafts import autosave, rules, selectors
from drafts.editor_context import submitted_content
from drafts.editor_previews import content_previews
from drafts.forms import DraftForm, DraftImageForm
from drafts.rendering import render_markdown
from drafts.views import images_context


@login_required
@require_POST
def draft_create_preview(request, slug: str):
    """The new-draft form's content rendered as it will be published, with the guideline problems (htmx)."""
    board = board_get_for_user(request.user, slug=slug)
    if not has_board_perm(request.user, board, CONTRIBUTE):
        raise PermissionDenied("You cannot write drafts on this board.")
    require_access(request.user, board)
    return _preview(request, board, None)


@login_required
@require_POST
def draft_preview(request, draft_id: int):
    """The same for a draft being edited: only for whoever may edit it now (403 otherwise)."""
    draft = selectors.draft_get_for_user(request.user, draft_id)
    if not rules.can_edit(draft, request.user):
        raise PermissionDenied("This draft cannot be edited now.")
    return _preview(request, draft.board, draft)


def _preview(request, board, draft):
    content = submitted_content(request.POST)
    context: dict = {"board": board, "draft": draft, **guideline_panel(request.user, board)}
    try:
        limits.require_draft_text_within(title=content["title"], body=content["body"], variants=content["variants"])
    except ValidationError as too_long:
        context["refused"] = [f"{k}: {m}" for k, ms in too_long.message_dict.items() for m in ms]
        return render(request, "drafts/_preview.html", context, status=400)
    context["body_html"] = render_markdown(content["body"])
    context["content"] = content
    context["previews"] = content_previews(board=board, content=content, draft=draft)
    if context.get("guideline") is not None:
        author = draft.author if draft is not None else request.user
        report = guideline_check(
            context["guideline"],
            title=content["title"],
            body=content["body"],
            variants=content["variants"],
            author_role=role_for_checks(author, board),
        )
        context.update(problems=report.problems, hidden=report.hidden, checked=True)
    return render(request, "drafts/_preview.html", context)


def _refused(exc: Exception, yours: dict) -> JsonResponse:
    refusal = refusal_for(exc)
    if refusal is None:
        raise exc
    body = {"saved": False, "message": refusal.message, "errors": refusal.field_errors, "yours": yours}
    return JsonResponse(body, status=refusal.status)


def _form_refused(form, yours: dict) -> JsonResponse:
    errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
    message = " ".join(f"{name}: {e}" for name, errs in errors.items() for e in errs)
    return JsonResponse({"saved": False, "message": message, "errors": errors, "yours": yours}, status=400)


def _saved(draft, **extra) -> dict:
    local = draft.updated_at.astimezone(zone_of(draft.board))
    return {
        "saved": True,
        "version": draft.version,
        "saved_at": draft.updated_at.isoformat(),
        # The board's zone, named: the status line reads "Saved 10:42 CET".
        "saved_label": f"{local.strftime('%H:%M')} {local.strftime('%Z') or 'UTC'}",
        **extra,
    }


@login_required
@require_POST
def draft_autosave(request, draft_id: int):
    """Save the editor's content in the background. 409 with who changed it and their text when the version
    moved on; every refusal hands the submitted text back ("yours"), and nothing is saved then."""
    draft = selectors.draft_get_for_user(request.user, draft_id)
    yours = submitted_content(request.POST)
    form = DraftForm(request.POST, draft=draft)
    if not form.is_valid():
        return _form_refused(form, yours)
    version = form.cleaned_data["version"]
    if version is None:
        return JsonResponse(
            {"saved": False, "message": "version: say which version you edited.", "errors": {}, "yours": yours},
            status=400,
        )
    try:
        draft = autosave.draft_autosave(draft_id=draft.pk, actor=request.user, version=version, **form.content())
    except Conflict as conflict:
        details = autosave.conflict_details(draft_id=draft.pk, actor=request.user, yours=form.content())
        html = render_to_string("drafts/_conflict.html", {**details, "user": request.user}, request=request)
        changed_by = details["changed_by"]
        body = {
            "saved": False,
            "conflict": True,
            "message": conflict.message,
            "version": details["version"],
            "editable": details["editable"],
            "changed_by": str(changed_by) if changed_by is not None else "",
            "theirs": details["theirs"],
            "yours": yours,
            "html": html,
        }
        return JsonResponse(body, status=409)
    except (ValidationError, PermissionDenied) as exc:
        return _refused(exc, yours)
    return JsonResponse(_saved(draft))


@login_required
@require_POST
def draft_start(request, slug: str):
    """The new-draft page's first autosave or first image: creates the draft (with the image, all or nothing)
    and tells the page where it now lives, so it can carry on there without a reload."""
    board = board_get_for_user(request.user, slug=slug)
    yours = submitted_content(request.POST)
    form = DraftForm(request.POST, board=board)
    if not form.is_valid():
        return _form_refused(form, yours)
    images = []
    if request.FILES.get("file"):
        image_form = DraftImageForm(request.POST, request.FILES)
        if not image_form.is_valid():
            return _form_refused(image_form, yours)
        images.append((image_form.cleaned_data["file"], image_form.cleaned_data["alt_text"]))
    try:
        draft = autosave.draft_start(board=board, author=request.user, images=images, **form.content())
    except (ValidationError, PermissionDenied) as exc:
        return _refused(exc, yours)
    draft = selectors.draft_get_for_user(request.user, draft.pk)
    context = {"draft": draft, **images_context(draft)}
    images_html = render_to_string("drafts/_images.html", context, request=request)
    urls = {
        "edit_url": reverse("draft-edit", args=[draft.pk]),
        "autosave_url": reverse("draft-autosave", args=[draft.pk]),
        "preview_url": reverse("draft-preview", args=[draft.pk]),
        "images_add_url": reverse("draft-image-add", args=[draft.pk]),
    }
    return JsonResponse(_saved(draft, draft_id=draft.pk, images_html=images_html, **urls), status=201)
