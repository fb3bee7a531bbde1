from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from contributors.invitations.models import Invitation
from contributors.models import Board
from contributors.roles import MANAGE
from contributors.selectors import boards_for_user, boards_with_perm

TOKEN_SALT = "cocreate.invitations.accept"
INVALID_LINK = "This invitation link is not valid. Ask the person who invited you for a new one."


def invitation_token(invitation: Invitation) -> str:
    """The secret in the e-mailed link: signed with SECRET_KEY over the invitation's current nonce."""
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=TOKEN_SALT)


def invitations_for_manager(user, *, board: Board | None = None) -> QuerySet[Invitation]:
    """Invitations on the boards the user manages (all boards for a site admin)."""
    invitations = Invitation.objects.filter(board__in=boards_with_perm(user, MANAGE))
    if board is not None:
        invitations = invitations.filter(board=board)
    return invitations.select_related("board", "inviter", "accepted_by")


def invitation_get_for_user(user, *, pk: int, board: Board | None = None) -> Invitation:
    """The invitation, or 404 when it is on a board the user cannot see (managing it is checked by services)."""
    invitations = Invitation.objects.filter(board__in=boards_for_user(user)).select_related("board", "inviter")
    if board is not None:
        invitations = invitations.filter(board=board)
    invitation = invitations.filter(pk=pk).first()
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


def invitation_from_token(token: str) -> tuple[Invitation, str]:
    """(invitation, nonce) named by a link, or ValidationError for a tampered or superseded link.

    The nonce is returned so that accepting can insist on it: a link from an earlier e-mail (before a
    resend) names an old nonce and is refused.
    """
    try:
        payload = signing.loads(token, salt=TOKEN_SALT)
        pk, nonce = int(payload["i"]), str(payload["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ValidationError(INVALID_LINK, code="invalid") from None
    invitation = Invitation.objects.select_related("board", "inviter").filter(pk=pk).first()
    if invitation is None or invitation.nonce != nonce:
        raise ValidationError(INVALID_LINK, code="invalid")
    return invitation, nonce


def account_exists(*, email: str) -> bool:
    return get_user_model().objects.filter(email__iexact=email).exists()
