"""Every write of the agreements feature: versions, acceptances, and the expiry reminders."""

import hashlib
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from cocreate import limits
from cocreate.errors import Conflict
from contributors.agreements import selectors
from contributors.agreements.models import Acceptance, Agreement, AgreementRequirement, AgreementVersion
from contributors.models import Board, User
from contributors.permissions import is_site_admin, require_manager
from contributors.roles import Role

MAX_PDF_BYTES = 10 * 1024 * 1024
# How many days before a contract ends its contributors and the board's managers are told.
EXPIRY_NOTICE_DAYS = 14


def _require_admin(actor: User | None) -> None:
    """actor=None is the system itself (demo data, management commands)."""
    if actor is not None and not is_site_admin(actor):
        raise PermissionDenied("Only site admins manage agreements.")


def _require_agreement_manager(agreement: Agreement, actor: User | None) -> None:
    """Site admins, or whoever manages every board that requires the agreement: a manager of one board
    must not rewrite what the people of another board signed."""
    if actor is None or is_site_admin(actor):
        return
    if not selectors.agreement_managed_by(actor, agreement):
        raise PermissionDenied(
            "Only site admins and the managers of every board that requires this agreement can change it."
        )


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": ["An agreement needs a title."]})
    if len(title) > 200:
        raise ValidationError({"title": [limits.too_long_message(200, len(title))]})
    return title


def _clean_roles(roles) -> list[str]:
    roles = list(dict.fromkeys(roles or []))
    unknown = [role for role in roles if role not in Role.values]
    if unknown or not roles:
        raise ValidationError({"roles": [f"Choose who must sign: one or more of {', '.join(Role.values)}."]})
    return roles


@transaction.atomic
def agreement_create(*, title: str, ends_on: date | None = None, actor: User | None) -> Agreement:
    _require_admin(actor)
    return Agreement.objects.create(title=_clean_title(title), ends_on=ends_on)


@transaction.atomic
def agreement_create_for_board(
    *,
    board: Board,
    title: str,
    roles: list[str],
    effective_on: date,
    body: str = "",
    pdf: UploadedFile | None = None,
    ends_on: date | None = None,
    actor: User | None,
) -> Agreement:
    """A board's manager (or a site admin) writes an agreement that `roles` on `board` must sign, with its
    first version: all of it or nothing."""
    require_manager(actor, board)
    roles = _clean_roles(roles)
    agreement = Agreement.objects.create(title=_clean_title(title), ends_on=ends_on)
    for role in roles:
        AgreementRequirement.objects.create(agreement=agreement, board=board, role=role)
    agreement_version_publish(agreement=agreement, effective_on=effective_on, body=body, pdf=pdf, actor=actor)
    return agreement


@transaction.atomic
def agreement_withdraw(*, agreement: Agreement, board: Board, actor: User | None) -> int:
    """The board no longer requires the agreement (of any role). What was signed stays on record.
    Returns how many requirements were removed; 404 when the board never required it."""
    require_manager(actor, board)
    removed, _ = AgreementRequirement.objects.filter(agreement=agreement, board=board).delete()
    if not removed:
        raise Http404("This board does not require that agreement.")
    return removed


@transaction.atomic
def agreement_update(*, agreement: Agreement, title: str, ends_on: date | None, actor: User | None) -> Agreement:
    """Rename the agreement or set when it runs out (moving the end date re-arms its reminder)."""
    _require_agreement_manager(agreement, actor)
    agreement.title, agreement.ends_on = _clean_title(title), ends_on
    agreement.save(update_fields=["title", "ends_on"])
    return agreement


@transaction.atomic
def agreement_require(*, agreement: Agreement, board: Board, role: str, actor: User | None) -> AgreementRequirement:
    """Make `role` on `board` require the agreement (idempotent)."""
    require_manager(actor, board)
    _require_agreement_manager(agreement, actor)
    if role not in Role.values:
        raise ValidationError({"role": [f"Unknown role {role!r}; choose one of {', '.join(Role.values)}."]})
    requirement, created = AgreementRequirement.objects.get_or_create(agreement=agreement, board=board, role=role)
    latest = agreement.versions.order_by("-number").values_list("pk", flat=True).first()
    if created and latest is not None:
        _enqueue_agreement_notification(latest)  # the people of this role now have it to sign
    return requirement


def pdf_digest(pdf: UploadedFile) -> str:
    if pdf.size is None or pdf.size > MAX_PDF_BYTES:
        raise ValidationError({"pdf": [f"The PDF is limited to {MAX_PDF_BYTES // (1024 * 1024)} MB."]})
    pdf.seek(0)
    if pdf.read(5) != b"%PDF-":
        raise ValidationError({"pdf": ["That file is not a PDF."]})
    digest = hashlib.sha256()
    for chunk in pdf.chunks():  # chunks() starts from the beginning of the file
        digest.update(chunk)
    pdf.seek(0)
    return digest.hexdigest()


def document_digest(*, body: str, pdf_bytes: bytes | None = None) -> str:
    return hashlib.sha256(pdf_bytes if pdf_bytes is not None else body.encode()).hexdigest()


@transaction.atomic
def agreement_version_publish(
    *,
    agreement: Agreement,
    effective_on: date,
    body: str = "",
    pdf: UploadedFile | None = None,
    actor: User | None,
) -> AgreementVersion:
    """A new version: from `effective_on` it replaces the previous one, and everybody accepts again."""
    limits.require_within({"body": ((body or "").strip(), limits.AGREEMENT_BODY_MAX_CHARS)})
    _require_agreement_manager(agreement, actor)
    body = (body or "").strip()
    if bool(body) == bool(pdf):
        raise ValidationError("Give the agreement either as Markdown text or as an uploaded PDF (one of the two).")
    if effective_on is None:
        raise ValidationError({"effective_on": ["Say from which day this version applies."]})
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    latest = agreement.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = AgreementVersion(
        agreement=agreement,
        number=latest + 1,
        body=body,
        effective_on=effective_on,
        created_by=actor,
    )
    if pdf is not None:
        # Hash before the storage renames the file: the digest is of exactly the bytes people sign.
        version.sha256 = pdf_digest(pdf)
        version.pdf.save(pdf.name or "agreement.pdf", pdf, save=False)
    else:
        version.sha256 = document_digest(body=body)
    version.save()
    _enqueue_agreement_notification(version.pk)
    return version


def _enqueue_agreement_notification(version_id: int) -> None:
    """Everyone whose role requires the agreement is told to sign it (again), by a worker after commit."""
    from contributors.notifications.tasks import notify_agreement_version

    transaction.on_commit(lambda: notify_agreement_version.delay(version_id))


@transaction.atomic
def agreement_accept(
    *,
    agreement: Agreement,
    user: User,
    signature: str,
    version_number: int | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
) -> Acceptance:
    """Record that `user` signed the version in force, with their typed full name as the signature.

    `version_number` is the version the user read: if a newer one took effect meanwhile, 409, so nobody
    signs a text they have not seen. Accepting the same version twice returns the first acceptance.
    """
    signature = " ".join((signature or "").split())
    if len(signature) < 2:
        raise ValidationError({"signature": ["Type your full name to sign."]})
    if len(signature) > 200:
        raise ValidationError({"signature": ["Keep the signature to 200 characters."]})
    version = selectors.current_versions([agreement.pk]).get(agreement.pk)
    if version is None:
        raise Conflict(f"“{agreement.title}” has no version in force yet.")
    if agreement.ends_on is not None and agreement.ends_on <= selectors.today():
        raise Conflict(f"“{agreement.title}” ended on {agreement.ends_on:%Y-%m-%d}; it can no longer be signed.")
    if version_number is not None and version_number != version.number:
        raise Conflict(
            f"“{agreement.title}” is now at version {version.number} (you read version {version_number}). "
            "Read the new version, then sign it."
        )
    existing = Acceptance.objects.filter(user=user, version=version).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Acceptance.objects.create(
                agreement=agreement,
                version=version,
                user=user,
                version_number=version.number,
                sha256=version.sha256,
                signature=signature,
                accepted_at=timezone.now(),
                ip_address=ip_address or None,
                user_agent=(user_agent or "")[:500],
            )
    except IntegrityError:
        # A double submit raced us: the first acceptance stands.
        return Acceptance.objects.get(user=user, version=version)


def submit_check(*, draft, actor) -> dict:
    """The submit condition: refused while an agreement the actor's role on the board requires is not in
    force for them, naming it; otherwise the agreement versions in force go into the submit event."""
    if actor is None:
        return {}
    obligations = selectors.obligations_for_user(actor, board_id=draft.board_id)
    outstanding = [o for o in obligations if o.outstanding]
    if outstanding:
        from contributors.agreements.gate import require_access

        require_access(actor, draft.board, action="submit drafts on")
    # None is outstanding, so every obligation with a version in force has its acceptance.
    in_force = [
        {
            "id": o.agreement.pk,
            "title": o.agreement.title,
            "version": o.version.number,
            "sha256": o.version.sha256,
            "accepted_at": o.acceptance.accepted_at.isoformat(),
        }
        for o in obligations
        if o.version is not None and o.acceptance is not None
    ]
    return {"agreements": in_force} if in_force else {}


def agreement_expiry_reminders_send(*, notice_days: int = EXPIRY_NOTICE_DAYS) -> int:
    """E-mail everyone who loses access when a contract ends, and the boards' managers, `notice_days`
    ahead. Each agreement is claimed with a conditional UPDATE first, so a reminder goes once per end date.
    Returns how many agreements were announced."""
    sent = 0
    horizon = selectors.today() + timedelta(days=notice_days)
    for agreement_id, ends_on in selectors.agreements_ending_by(horizon).values_list("pk", "ends_on"):
        # The claim commits before SMTP is spoken to, so a slow mail server holds no transaction open.
        previous = Agreement.objects.filter(pk=agreement_id).values_list("reminder_sent_for", flat=True).first()
        claimed = (
            Agreement.objects.filter(pk=agreement_id, ends_on=ends_on)
            .exclude(reminder_sent_for=ends_on)
            .update(reminder_sent_for=ends_on)
        )
        if not claimed:
            continue
        agreement = Agreement.objects.get(pk=agreement_id)
        recipients = [u.email for u in selectors.users_to_remind(agreement) if u.email]
        try:
            for email in recipients:
                send_mail(
                    subject=" ".join(f"“{agreement.title}” ends on {ends_on:%Y-%m-%d}".split()),
                    message=(
                        f"The agreement “{agreement.title}” ends on {ends_on:%Y-%m-%d}. From that day, "
                        "contributors who work under it lose access to the board's drafts, guidelines and "
                        "briefs until a renewed agreement is signed. Managers: publish a renewal in time."
                    ),
                    from_email=None,
                    recipient_list=[email],
                )
        except Exception:
            # Nobody was reminded for sure: give the claim back so the next run tries again.
            Agreement.objects.filter(pk=agreement_id, reminder_sent_for=ends_on).update(reminder_sent_for=previous)
            raise
        sent += 1
    return sent
