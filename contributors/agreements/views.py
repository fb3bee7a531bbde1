"""Pages of the agreements feature. Reads through selectors, writes through services."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import dateformat
from django.views.decorators.http import require_http_methods, require_POST

from cocreate.views import ServiceRefused, report_service_errors
from contributors.agreements import selectors, services
from contributors.agreements.documents import document_filename, signed_copy_text
from contributors.agreements.forms import AcceptForm, AgreementCreateForm, AgreementDocumentForm
from contributors.agreements.next_url import next_from
from contributors.permissions import has_board_perm, is_site_admin, require_manager
from contributors.roles import MANAGE, Role
from contributors.selectors import board_get_for_user, boards_for_user


def client_details(request) -> dict:
    # REMOTE_ADDR, not X-Forwarded-For: a header the client writes is no evidence of where it signed from.
    return {"ip_address": request.META.get("REMOTE_ADDR"), "user_agent": request.META.get("HTTP_USER_AGENT", "")}


@login_required
def board_agreements(request, slug: str):
    """The page a gated user sees instead of the board: what to sign before working on it."""
    board = board_get_for_user(request.user, slug=slug)
    obligations = selectors.obligations_for_user(request.user, board_id=board.pk)
    context = {
        "board": board,
        "obligations": obligations,
        "outstanding": [o for o in obligations if o.outstanding],
        "next": next_from(request),
        "can_manage": has_board_perm(request.user, board, MANAGE),
    }
    return render(request, "agreements/board_agreements.html", context)


def _render_detail(request, agreement, *, form=None, status=200):
    board = boards_for_user(request.user).filter(agreement_requirements__agreement=agreement).first()
    version = selectors.current_versions([agreement.pk]).get(agreement.pk)
    acceptances = selectors.acceptances_of_user(request.user, agreement)
    context = {
        "agreement": agreement,
        "version": version,
        "accepted": version is not None and any(a.version_id == version.pk for a in acceptances),
        "expired": agreement.ends_on is not None and agreement.ends_on <= selectors.today(),
        "acceptances": acceptances,
        "form": form or AcceptForm(initial={"version": version.number if version else None}),
        "is_admin": is_site_admin(request.user),
        "can_manage": selectors.agreement_managed_by(request.user, agreement),
        "next": next_from(request),
        # The board it is read for (its tabs, its time zone): one the reader is on that requires it.
        "board": board,
        "zone": board,
    }
    return render(request, "agreements/agreement_detail.html", context, status=status)


@login_required
def agreement_detail(request, pk: int):
    return _render_detail(request, selectors.agreement_get_for_user(request.user, pk))


@login_required
@require_POST
def agreement_accept(request, pk: int):
    agreement = selectors.agreement_get_for_user(request.user, pk)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{field}: {error}")
        return _render_detail(request, agreement, form=form, status=400)
    try:
        with report_service_errors(request):
            services.agreement_accept(
                agreement=agreement,
                user=request.user,
                signature=form.cleaned_data["signature"],
                version_number=form.cleaned_data["version"],
                **client_details(request),
            )
    except ServiceRefused as refused:
        return _render_detail(request, agreement, form=form, status=refused.status)
    next_url = next_from(request)
    if next_url:
        # Back where the gate stopped them; if another agreement still stands in the way, the gate says so.
        messages.success(request, f"You accepted “{agreement.title}”. Your copy is on the agreement's page.")
        return redirect(next_url)
    messages.success(request, f"You accepted “{agreement.title}”. A copy is below.")
    return redirect("agreement-detail", pk=agreement.pk)


@login_required
def agreement_document(request, pk: int):
    """The version in force as a file: the uploaded PDF, or the Markdown text."""
    agreement = selectors.agreement_get_for_user(request.user, pk)
    version = selectors.current_versions([agreement.pk]).get(agreement.pk)
    if version is None:
        raise Http404("This agreement has no version in force yet.")
    if version.is_pdf:
        return FileResponse(
            version.pdf.open("rb"), content_type="application/pdf", filename=document_filename(version, ".pdf")
        )
    response = HttpResponse(version.body, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{document_filename(version, ".md")}"'
    return response


@login_required
def acceptance_copy(request, pk: int):
    """A signer's copy of what they accepted: the PDF itself, or the text with the signature record."""
    acceptance = selectors.acceptance_get_for_user(request.user, pk)
    version = acceptance.version
    if version.is_pdf and request.GET.get("part") == "pdf":
        return FileResponse(
            version.pdf.open("rb"), content_type="application/pdf", filename=document_filename(version, ".pdf")
        )
    response = HttpResponse(signed_copy_text(acceptance), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{document_filename(version, "-signed.md")}"'
    return response


def _report_for_admin(request, pk: int):
    """Site admins and the managers of every board requiring the agreement see who signed it."""
    agreement = selectors.agreement_get_for_manager(request.user, pk)
    return agreement, *selectors.agreement_report(agreement)


@login_required
def agreement_acceptances(request, pk: int):
    agreement, version, rows = _report_for_admin(request, pk)
    boards = [r.board for r in agreement.requirements.select_related("board")]
    context = {
        "agreement": agreement,
        "version": version,
        "rows": rows,
        "unsigned": sum(row.status == "not accepted" for row in rows),
        # Times in the zone of the board the manager came from (the first board requiring it otherwise).
        "board": next((b for b in boards if b.slug == request.GET.get("board")), boards[0] if boards else None),
        "boards": list(dict.fromkeys(boards)),
    }
    return render(request, "agreements/agreement_acceptances.html", context)


CSV_COLUMNS = [
    "username",
    "name",
    "email",
    "roles",
    "status",
    "version",
    "sha256",
    "signature",
    "accepted_at",
    "ip_address",
    "user_agent",
]


@login_required
def agreement_acceptances_csv(request, pk: int):
    agreement, version, rows = _report_for_admin(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="agreement-{agreement.pk}-acceptances.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        a = row.acceptance
        writer.writerow(
            [
                _cell(row.user.username),
                _cell(str(row.user)),
                _cell(row.user.email),
                _cell(row.roles),
                row.status,
                a.version_number if a else "",
                a.sha256 if a else "",
                _cell(a.signature) if a else "",
                a.accepted_at.isoformat() if a else "",
                a.ip_address or "" if a else "",
                _cell(a.user_agent) if a else "",
            ]
        )
    return response


def _cell(value: str) -> str:
    """Typed names and user agents are user input: keep spreadsheets from running them as formulas."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# --- Managing agreements (a board's managers and site admins) -------------------------------------------


def _managed_board(request, slug: str):
    board = board_get_for_user(request.user, slug=slug)
    require_manager(request.user, board)
    return board


@login_required
def board_agreements_manage(request, slug: str):
    board = _managed_board(request, slug)
    context = {"board": board, "rows": selectors.board_agreement_rows(board)}
    return render(request, "agreements/board_manage.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def board_agreement_create(request, slug: str):
    board = _managed_board(request, slug)
    form = AgreementCreateForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                with report_service_errors(request):
                    agreement = services.agreement_create_for_board(
                        board=board,
                        title=data["title"],
                        roles=data["roles"],
                        body=data["body"],
                        pdf=data["pdf"],
                        effective_on=data["effective_on"],
                        ends_on=data["ends_on"],
                        actor=request.user,
                    )
                messages.success(request, f"“{agreement.title}” created: {_binding(agreement, board)}.")
                return redirect("board-agreements-manage", slug=board.slug)
            except ServiceRefused as refused:
                status = refused.status
    return render(request, "agreements/agreement_form.html", {"board": board, "form": form}, status=status)


def _binding(agreement, board) -> str:
    roles = [
        Role(r).label.lower() + "s" for r in agreement.requirements.filter(board=board).values_list("role", flat=True)
    ]
    return f"the {' and '.join(roles)} of {board.name} sign it before they work there"


@login_required
@require_http_methods(["GET", "POST"])
def agreement_version_create(request, pk: int):
    agreement = selectors.agreement_get_for_manager(request.user, pk)
    current = selectors.current_versions([agreement.pk]).get(agreement.pk)
    latest = agreement.versions.order_by("-number").first()
    boards = [r.board for r in agreement.requirements.select_related("board")]
    board = next((b for b in boards if b.slug == request.GET.get("board")), boards[0] if boards else None)
    status = 200
    if request.method == "POST":
        form = AgreementDocumentForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                with report_service_errors(request):
                    version = services.agreement_version_publish(
                        agreement=agreement,
                        body=data["body"],
                        pdf=data["pdf"],
                        effective_on=data["effective_on"],
                        actor=request.user,
                    )
                from_day = dateformat.format(version.effective_on, "j F Y")
                messages.success(
                    request,
                    f"Version {version.number} of “{agreement.title}” published: from {from_day} everyone it binds "
                    "signs it again.",
                )
                return (
                    redirect("board-agreements-manage", slug=board.slug)
                    if board
                    else redirect("agreement-acceptances", pk=agreement.pk)
                )
            except ServiceRefused as refused:
                status = refused.status
    else:
        text = latest.body if latest is not None and not latest.is_pdf else ""
        form = AgreementDocumentForm(initial={"body": text})
    context = {"agreement": agreement, "current": current, "latest": latest, "form": form, "board": board}
    return render(request, "agreements/version_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def board_agreement_withdraw(request, slug: str, pk: int):
    """GET asks first; POST stops requiring the agreement on the board (signatures stay on record)."""
    board = _managed_board(request, slug)
    agreement = selectors.agreement_get_for_user(request.user, pk)
    if not agreement.requirements.filter(board=board).exists():
        raise Http404("This board does not require that agreement.")
    if request.method == "GET":
        return render(request, "agreements/withdraw.html", {"board": board, "agreement": agreement})
    with report_service_errors(request):
        services.agreement_withdraw(agreement=agreement, board=board, actor=request.user)
    messages.success(request, f"{board.name} no longer requires “{agreement.title}”. What was signed stays on record.")
    return redirect("board-agreements-manage", slug=board.slug)
