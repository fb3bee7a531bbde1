"""Pages of the agreements feature. Reads through selectors, writes through services."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cocreate.views import ServiceRefused, report_service_errors
from contributors.agreements import selectors, services
from contributors.agreements.documents import document_filename, signed_copy_text
from contributors.agreements.forms import AcceptForm
from contributors.agreements.next_url import next_from
from contributors.permissions import is_site_admin
from contributors.selectors import board_get_for_user


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
    }
    return render(request, "agreements/board_agreements.html", context)


def _render_detail(request, agreement, *, form=None, status=200):
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
        "next": next_from(request),
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
    agreement = selectors.agreement_get_for_user(request.user, pk)
    if not is_site_admin(request.user):
        raise PermissionDenied("Only site admins see who accepted an agreement.")
    return agreement, *selectors.agreement_report(agreement)


@login_required
def agreement_acceptances(request, pk: int):
    agreement, version, rows = _report_for_admin(request, pk)
    return render(
        request, "agreements/agreement_acceptances.html", {"agreement": agreement, "version": version, "rows": rows}
    )


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
