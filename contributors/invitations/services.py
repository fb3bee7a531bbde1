"""Invitations: a manager offers a role on a board by e-mail; whoever opens the link accepts it once.

The link carries a token signed over the invitation's nonce (selectors.invitation_token); no secret is
stored. Resending rotates the nonce, so only the newest e-mail's link works. Accepting is a conditional
UPDATE from pending (with that nonce, unexpired) to accepted: of two concurrent accepts, one wins.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from cocreate import limits
from cocreate.errors import Conflict, RateLimited
from contributors.invitations.models import Invitation, InvitationStatus
from contributors.invitations.selectors import invitation_from_token, invitation_token
from contributors.models import Board, User
from contributors.permissions import board_role, has_board_perm, require_manager
from contributors.profiles.people import person_label, validate_visible_name
from contributors.roles import MANAGE, ROLE_ORDER, ROLE_PERMISSIONS, SITE_ADMIN, Role
from contributors.services import board_role_grant


def expiry_delta() -> timedelta:
    return timedelta(days=getattr(settings, "INVITATION_EXPIRY_DAYS", 7))


def rate_limit_per_hour() -> int:
    return getattr(settings, "INVITATION_RATE_LIMIT_PER_HOUR", 20)


def _count_send_request(inviter: User) -> None:
    """Fixed one-hour windows in the cache (atomic add + incr on locmem and Redis alike).

    The key includes date_joined so that a recycled user id never inherits someone else's count.
    """
    now = timezone.now().timestamp()
    window = int(now // 3600)
    key = f"invitations:sent:{inviter.pk}:{inviter.date_joined.timestamp():.6f}:{window}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.add(key, 1, timeout=3600)
        count = 1
    if count > rate_limit_per_hour():
        message = f"You can send at most {rate_limit_per_hour()} invitations an hour. Try again later."
        raise RateLimited(message, retry_after=int((window + 1) * 3600 - now) + 1)


def _queue_send(invitation: Invitation, site_url: str) -> None:
    from contributors.invitations.tasks import send_invitation

    pk, nonce = invitation.pk, invitation.nonce
    transaction.on_commit(lambda: send_invitation.delay(pk, nonce, site_url))


def _renew(invitation: Invitation) -> None:
    invitation.nonce = secrets.token_urlsafe(24)
    invitation.expires_at = timezone.now() + expiry_delta()


@transaction.atomic
def invitation_create(
    *, board: Board, email: str, role: str, inviter: User, message: str = "", site_url: str
) -> Invitation:
    """Invite `email` to `board`. An open invitation to the same address is refreshed and re-sent instead."""
    limits.require_within({"message": (message, limits.INVITATION_MESSAGE_MAX_CHARS)})
    require_manager(inviter, board)
    email = (email or "").strip().lower()
    errors = {}
    try:
        validate_email(email)
        validate_visible_name(email)  # it becomes the invited person's username
    except ValidationError as exc:
        errors["email"] = exc.messages if exc.code == "invisible_characters" else "Enter a valid e-mail address."
    if role not in ROLE_PERMISSIONS:
        errors["role"] = f"Choose one of {', '.join(Role.values)}."
    if errors:
        raise ValidationError(errors)
    members = get_user_model().objects.filter(email__iexact=email, boarduserobjectpermission__content_object=board)
    if members.exists():
        raise ValidationError({"email": "Someone with this address already has a role on this board."})
    _count_send_request(inviter)

    invitation = (
        Invitation.objects.select_for_update().filter(board=board, email=email, status=InvitationStatus.PENDING).first()
    )
    if invitation is None:
        invitation = Invitation(board=board, email=email, status=InvitationStatus.PENDING)
    invitation.role, invitation.message, invitation.inviter = role, message, inviter
    _renew(invitation)
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        # A concurrent request created the open invitation first; refresh that one.
        invitation = Invitation.objects.select_for_update().get(
            board=board, email=email, status=InvitationStatus.PENDING
        )
        invitation.role, invitation.message, invitation.inviter = role, message, inviter
        _renew(invitation)
        invitation.save()
    _queue_send(invitation, site_url)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor: User, site_url: str) -> Invitation:
    """E-mail a new link (the old one stops working) with a new expiry."""
    require_manager(actor, invitation.board)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != InvitationStatus.PENDING:
        raise Conflict(f"This invitation was {invitation.status}; only a pending invitation can be re-sent.")
    _count_send_request(actor)
    _renew(invitation)
    invitation.save(update_fields=["nonce", "expires_at"])
    _queue_send(invitation, site_url)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    require_manager(actor, invitation.board)
    revoked = Invitation.objects.filter(pk=invitation.pk, status=InvitationStatus.PENDING).update(
        status=InvitationStatus.REVOKED, revoked_at=timezone.now(), revoked_by=actor
    )
    invitation.refresh_from_db()
    if not revoked:
        raise Conflict(f"This invitation was already {invitation.status}.")
    return invitation


class InvitationForSomeoneElse(PermissionDenied):
    """The signed-in account's e-mail is not the address the invitation was sent to (HTTP 403)."""

    def __init__(self, invitation: Invitation) -> None:
        self.masked_email = masked_email(invitation.email)
        super().__init__(
            f"This invitation was sent to {self.masked_email}, not to the address of the account you are signed "
            "in with. Sign out and open the link again, or ask the board's managers to invite your address."
        )


def masked_email(email: str) -> str:
    """Enough for its owner to recognise the address, not enough for anyone else to learn it: g***@e***.com."""
    local, _, domain = email.partition("@")
    host, dot, tld = domain.rpartition(".")
    if not dot:
        host, tld = domain, ""
    return f"{local[:1]}***@{host[:1]}***{dot}{tld}"


def invitation_is_for(*, invitation: Invitation, user: User) -> bool:
    """Whether `user` is the person invited: their account's e-mail is the invited address (any case).

    Accounts' addresses are set by site admins or proven by accepting an invitation; people cannot change
    their own, so the address on the account is the verified one.
    """
    return bool(user.email) and user.email.strip().casefold() == invitation.email.strip().casefold()


def _refuse(invitation: Invitation) -> None:
    """Why a link that was signed correctly cannot be accepted now."""
    invitation.refresh_from_db()
    if invitation.status == InvitationStatus.ACCEPTED:
        raise Conflict("This invitation has already been used.")
    if invitation.status == InvitationStatus.REVOKED:
        raise ValidationError("This invitation was withdrawn by the board's managers.", code="revoked")
    if invitation.expires_at <= timezone.now():
        raise ValidationError(
            "This invitation has expired. Ask the person who invited you to send it again.", code="expired"
        )
    raise ValidationError("This invitation link is not valid.", code="invalid")


def invitation_check(*, token: str) -> Invitation:
    """The invitation a link may still accept, or the reason it may not (used by the page before a form)."""
    invitation, nonce = invitation_from_token(token)
    if invitation.status != InvitationStatus.PENDING or invitation.expires_at <= timezone.now():
        _refuse(invitation)
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Invitation:
    """Accept once, only as the invited person: the role is granted by the inviter through board_role_grant
    (never lowered)."""
    invitation, nonce = invitation_from_token(token)
    now = timezone.now()
    if invitation.status != InvitationStatus.PENDING or invitation.expires_at <= now:
        _refuse(invitation)  # a used, withdrawn or expired link says so first, to anyone
    if not invitation_is_for(invitation=invitation, user=user):
        raise InvitationForSomeoneElse(invitation)
    claimed = Invitation.objects.filter(
        pk=invitation.pk, nonce=nonce, status=InvitationStatus.PENDING, expires_at__gt=now
    ).update(status=InvitationStatus.ACCEPTED, accepted_at=now, accepted_by=user)
    if not claimed:
        _refuse(invitation)
    invitation.refresh_from_db()
    current = board_role(user, invitation.board)
    if current != SITE_ADMIN and (
        current is None or ROLE_ORDER.index(Role(current)) < ROLE_ORDER.index(Role(invitation.role))
    ):
        if not has_board_perm(invitation.inviter, invitation.board, MANAGE):
            raise PermissionDenied("The person who invited you can no longer add members to this board.")
        board_role_grant(board=invitation.board, user=user, role=invitation.role, actor=invitation.inviter)
    return invitation


@transaction.atomic
def invitation_accept_new_user(*, token: str, name: str, password: str) -> tuple[User, Invitation]:
    """Create the invited person's account (their login is the invited address) and accept, in one step."""
    invitation = invitation_check(token=token)
    name = (name or "").strip()
    users = get_user_model().objects
    if users.filter(email__iexact=invitation.email).exists() or users.filter(username=invitation.email).exists():
        raise ValidationError({"__all__": "An account with this e-mail address exists: log in to accept."})
    user = users.model(username=invitation.email, email=invitation.email, display_name=name[:150])
    errors: dict[str, str | list[str]] = {}
    if not name:
        errors["name"] = "Tell us your name."
    for field, value in (("name", name), ("__all__", invitation.email)):  # the address becomes the username
        try:
            validate_visible_name(value)
        except ValidationError as exc:
            errors.setdefault(field, exc.messages)
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    return user, invitation_accept(token=token, user=user)


def invitation_send(*, invitation_id: int, nonce: str, site_url: str) -> bool:
    """E-mail the link for `nonce` once; skipped when that link was sent already or no longer works.

    The claim commits before SMTP is spoken to (no transaction waits on a slow mail server); a failed send
    gives the claim back, so the task's retry sends again."""
    with transaction.atomic():
        claimed = (
            Invitation.objects.filter(pk=invitation_id, nonce=nonce, status=InvitationStatus.PENDING)
            .exclude(sent_nonce=nonce)
            .update(sent_nonce=nonce, sent_at=timezone.now(), send_count=F("send_count") + 1)
        )
        if not claimed:
            return False
        invitation = Invitation.objects.select_related("board", "inviter").get(pk=invitation_id)
    link = site_url.rstrip("/") + reverse("invitation-accept", args=[invitation_token(invitation)])
    inviter = person_label(invitation.inviter)
    body = [f'{inviter} invites you to the board "{invitation.board}" on Cocreate as {invitation.role}.']
    if invitation.message:
        body.append(f"Their message:\n\n{invitation.message}")
    body.append(f"Open this link to accept (it works once, until {invitation.expires_at:%Y-%m-%d %H:%M} UTC):\n{link}")
    try:
        send_mail(
            subject=" ".join(f"Invitation to {invitation.board} on Cocreate".split()),
            message="\n\n".join(body),
            from_email=None,
            recipient_list=[invitation.email],
        )
    except Exception:
        Invitation.objects.filter(pk=invitation_id, sent_nonce=nonce).update(
            sent_nonce="", send_count=F("send_count") - 1
        )
        raise
    _tell_existing_account(invitation)
    return True


def _tell_existing_account(invitation: Invitation) -> None:
    """Someone invited who already has an account finds the invitation in the app too. The invitation's own
    e-mail (just sent) is its e-mail: the notification is marked e-mailed in the same transaction, before its
    mail task could run."""
    from contributors.notifications.fanout import invitation_fanout
    from contributors.notifications.models import Notification

    path = reverse("invitation-accept", args=[invitation_token(invitation)])
    with transaction.atomic():
        made = invitation_fanout(invitation, accept_path=path)
        Notification.objects.filter(pk__in=made, emailed_at=None).update(emailed_at=timezone.now())
