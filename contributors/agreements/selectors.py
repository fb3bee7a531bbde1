"""Reads: what each user must accept where, and the acceptance reports admins see."""

from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.http import Http404
from django.utils import timezone

from contributors.agreements.models import Acceptance, Agreement, AgreementRequirement, AgreementVersion
from contributors.models import Board, BoardGroupObjectPermission, BoardUserObjectPermission, User
from contributors.permissions import is_site_admin
from contributors.roles import MANAGE, VIEW, role_from_permissions
from contributors.selectors import board_ids_with_perm, board_members, boards_for_user


@dataclass(frozen=True)
class Obligation:
    """One agreement a user's role on one board requires, and where the user stands with it."""

    board_id: int
    agreement: Agreement
    version: AgreementVersion | None  # the version in force; None: no version is effective yet
    acceptance: Acceptance | None  # the user's acceptance of exactly that version

    @property
    def expired(self) -> bool:
        return self.agreement.ends_on is not None and self.agreement.ends_on <= today()

    @property
    def outstanding(self) -> bool:
        """Blocks access: the contract has run out, or the version in force is not accepted."""
        if self.version is None:
            return False
        return self.expired or self.acceptance is None

    def describe(self) -> str:
        if self.expired:
            return f"“{self.agreement.title}” ended on {self.agreement.ends_on:%Y-%m-%d}"
        if self.version is None:
            return f"“{self.agreement.title}”"
        return f"“{self.agreement.title}” (version {self.version.number})"


def today() -> date:
    return timezone.localdate()


def current_versions(agreement_ids) -> dict[int, AgreementVersion]:
    """The version in force of each agreement: the newest whose effective date has come (one query)."""
    versions: dict[int, AgreementVersion] = {}
    for version in AgreementVersion.objects.filter(agreement_id__in=agreement_ids, effective_on__lte=today()):
        if version.agreement_id not in versions or version.number > versions[version.agreement_id].number:
            versions[version.agreement_id] = version
    return versions


def _roles_on_boards(user, board_ids: set[int]) -> dict[int, str]:
    grants = {"content_object_id__in": board_ids, "permission__content_type": ContentType.objects.get_for_model(Board)}
    direct = BoardUserObjectPermission.objects.filter(user=user, **grants).values_list(
        "content_object_id", "permission__codename"
    )
    via_groups = BoardGroupObjectPermission.objects.filter(group__user=user, **grants).values_list(
        "content_object_id", "permission__codename"
    )
    codenames: dict[int, set[str]] = {}
    for board_id, codename in direct.union(via_groups, all=True):
        codenames.setdefault(board_id, set()).add(codename)
    return {board_id: role for board_id, names in codenames.items() if (role := role_from_permissions(names))}


def obligations_for_user(
    user, *, board_id: int | None = None, viewable_board_ids: set[int] | None = None
) -> list[Obligation]:
    """Every agreement the user's roles require, per board. Site admins are bound by none.

    A fixed number of queries however many boards: one when no board the user sees requires anything,
    four otherwise (requirements, roles, versions in force, acceptances). `viewable_board_ids`: the boards
    the user holds view_board on, when the caller has read them already (else a subquery finds them).
    """
    if user is None or not user.is_authenticated or not user.is_active or is_site_admin(user):
        return []
    if viewable_board_ids is not None and not viewable_board_ids:
        return []
    boards = board_ids_with_perm(user, VIEW) if viewable_board_ids is None else sorted(viewable_board_ids)
    query = AgreementRequirement.objects.filter(board__in=boards).select_related("agreement")
    if board_id is not None:
        query = query.filter(board_id=board_id)
    requirements = list(query)
    if not requirements:
        return []
    roles = _roles_on_boards(user, {r.board_id for r in requirements})
    requirements = [r for r in requirements if roles.get(r.board_id) == r.role]
    if not requirements:
        return []
    versions = current_versions({r.agreement_id for r in requirements})
    accepted = {
        a.version_id: a for a in Acceptance.objects.filter(user=user, version__in=[v.pk for v in versions.values()])
    }
    obligations = []
    for requirement in requirements:
        version = versions.get(requirement.agreement_id)
        acceptance = accepted.get(version.pk) if version else None
        obligations.append(Obligation(requirement.board_id, requirement.agreement, version, acceptance))
    return obligations


def outstanding_for_user(
    user, *, board_id: int | None = None, viewable_board_ids: set[int] | None = None
) -> list[Obligation]:
    obligations = obligations_for_user(user, board_id=board_id, viewable_board_ids=viewable_board_ids)
    return [o for o in obligations if o.outstanding]


def agreements_for_user(user) -> QuerySet[Agreement]:
    """Agreements required on a board the user can see (every agreement for a site admin)."""
    if is_site_admin(user):
        return Agreement.objects.all()
    return Agreement.objects.filter(requirements__board__in=boards_for_user(user)).distinct()


def agreement_get_for_user(user, pk: int) -> Agreement:
    """The agreement, or 404 for anyone it is not required of on a board they can see."""
    agreement = agreements_for_user(user).filter(pk=pk).first()
    if agreement is None:
        raise Http404("No such agreement.")
    return agreement


def acceptance_get_for_user(user, pk: int) -> Acceptance:
    """A user's own acceptance (any for a site admin), or 404."""
    acceptances = Acceptance.objects.select_related("agreement", "version", "user")
    if not is_site_admin(user):
        acceptances = acceptances.filter(user=user) if user.is_authenticated else acceptances.none()
    acceptance = acceptances.filter(pk=pk).first()
    if acceptance is None:
        raise Http404("No such acceptance.")
    return acceptance


def acceptances_of_user(user, agreement: Agreement) -> list[Acceptance]:
    return list(Acceptance.objects.filter(user=user, agreement=agreement).select_related("version"))


@dataclass(frozen=True)
class ReportRow:
    user: object
    roles: str  # "contributor on Launch; manager on Community"
    acceptance: Acceptance | None
    status: str  # "accepted", "accepted an older version", "not accepted", "not required"


def agreement_report(agreement: Agreement) -> tuple[AgreementVersion | None, list[ReportRow]]:
    """Who must accept the agreement and where they stand, plus every acceptance of any version."""
    version = current_versions([agreement.pk]).get(agreement.pk)
    required: dict[int, tuple[User, list[str]]] = {}
    for requirement in agreement.requirements.select_related("board"):
        for member, role in board_members(requirement.board):
            if role == requirement.role:
                required.setdefault(member.pk, (member, []))[1].append(f"{role} on {requirement.board.name}")
    acceptances = list(agreement.acceptances.select_related("user", "version").order_by("user__username", "-id"))
    rows: list[ReportRow] = []
    seen_current: set[int] = set()
    for acceptance in acceptances:
        is_current = version is not None and acceptance.version_id == version.pk
        if is_current:
            seen_current.add(acceptance.user_id)
        roles = "; ".join(required[acceptance.user_id][1]) if acceptance.user_id in required else ""
        if acceptance.user_id not in required:
            status = "not required"
        else:
            status = "accepted" if is_current else "accepted an older version"
        rows.append(ReportRow(acceptance.user, roles, acceptance, status))
    for user_id, (member, member_roles) in sorted(required.items(), key=lambda item: item[1][0].username):
        if user_id not in seen_current:
            rows.append(ReportRow(member, "; ".join(member_roles), None, "not accepted"))
    return version, rows


def users_to_remind(agreement: Agreement) -> list:
    """Everyone who loses access when the agreement ends, and the managers of its boards."""
    board_ids = list(agreement.requirements.values_list("board_id", flat=True))
    people: dict[int, object] = {}
    for board in Board.objects.filter(pk__in=board_ids):
        roles = set(agreement.requirements.filter(board=board).values_list("role", flat=True))
        for member, role in board_members(board):
            if role in roles or role == "manager":
                people[member.pk] = member
    return sorted(people.values(), key=lambda u: u.username)


def agreements_ending_by(day: date) -> QuerySet[Agreement]:
    """Agreements that end after today and on or before `day`, whose reminder for that end date is not sent."""
    ending = Agreement.objects.filter(ends_on__isnull=False, ends_on__gt=today(), ends_on__lte=day)
    return ending.exclude(reminder_sent_for=F("ends_on"))


def agreement_managed_by(user, agreement: Agreement) -> bool:
    """Site admins, or a user managing every board that requires the agreement (at least one)."""
    if is_site_admin(user):
        return True
    board_ids = set(agreement.requirements.values_list("board_id", flat=True))
    managed = set(Board.objects.filter(pk__in=board_ids_with_perm(user, MANAGE)).values_list("pk", flat=True))
    return bool(board_ids) and board_ids <= managed


def agreement_get_for_manager(user, pk: int) -> Agreement:
    """The agreement for someone who may change it: 404 if they cannot see it, 403 if they may not."""
    agreement = agreement_get_for_user(user, pk)
    if not agreement_managed_by(user, agreement):
        raise PermissionDenied(
            "Only site admins and the managers of every board that requires this agreement can manage it."
        )
    return agreement


@dataclass(frozen=True)
class BoardAgreementRow:
    """One agreement a board requires, for its managers' list."""

    agreement: Agreement
    roles: list[str]
    version: AgreementVersion | None  # in force
    upcoming: AgreementVersion | None  # published, effective later
    signed: int  # members bound by it who accepted the version in force
    bound: int  # members its roles bind

    @property
    def unsigned(self) -> int:
        return self.bound - self.signed


def board_agreement_rows(board: Board) -> list[BoardAgreementRow]:
    """The agreements `board` requires, with how many of the people they bind signed the version in force.
    A fixed number of queries however many agreements and members."""
    requirements = list(AgreementRequirement.objects.filter(board=board).select_related("agreement"))
    if not requirements:
        return []
    roles: dict[int, list[str]] = {}
    agreements: dict[int, Agreement] = {}
    for requirement in requirements:
        roles.setdefault(requirement.agreement_id, []).append(requirement.role)
        agreements[requirement.agreement_id] = requirement.agreement
    in_force = current_versions(agreements)
    upcoming: dict[int, AgreementVersion] = {}
    for version in AgreementVersion.objects.filter(agreement_id__in=agreements, effective_on__gt=today()):
        if version.agreement_id not in upcoming or version.number < upcoming[version.agreement_id].number:
            upcoming[version.agreement_id] = version
    members = board_members(board)
    signers = set(
        Acceptance.objects.filter(version__in=[v.pk for v in in_force.values()]).values_list("version_id", "user_id")
    )
    rows = []
    for agreement_id, agreement in sorted(agreements.items(), key=lambda item: (item[1].title, item[0])):
        bound = [user for user, role in members if role in roles[agreement_id]]
        current = in_force.get(agreement_id)
        signed = sum((current.pk, user.pk) in signers for user in bound) if current else 0
        rows.append(
            BoardAgreementRow(agreement, roles[agreement_id], current, upcoming.get(agreement_id), signed, len(bound))
        )
    return rows


def cleared_to_open(pairs: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Of the (user id, board id) pairs, those where the user may open the board now: an active site admin,
    or a member with view_board (own or group grant) whom no agreement of their role keeps off it. The same
    answer as has_board_perm(VIEW) and not is_gated() for each pair, in five queries for all of them (the
    notifications of a whole publishing batch are decided at once)."""
    if not pairs:
        return set()
    user_ids = {user_id for user_id, _ in pairs}
    board_ids = {board_id for _, board_id in pairs}
    active = dict(User.objects.filter(pk__in=user_ids, is_active=True).values_list("pk", "is_staff"))
    admins = {pk for pk, is_staff in active.items() if is_staff}
    codenames = _codenames_of({pk for pk in active if pk not in admins}, board_ids)
    roles = {pair: role_from_permissions(names) for pair, names in codenames.items() if VIEW in names}
    held = {(board_id, role) for (_, board_id), role in roles.items()}
    requirements = [
        r
        for r in AgreementRequirement.objects.filter(board_id__in={b for _, b in roles}).select_related("agreement")
        if (r.board_id, r.role) in held
    ]
    versions = current_versions({r.agreement_id for r in requirements}) if requirements else {}
    accepted = (
        set(
            Acceptance.objects.filter(
                user_id__in={u for u, _ in roles}, version__in=[v.pk for v in versions.values()]
            ).values_list("user_id", "version_id")
        )
        if versions
        else set()
    )
    gated = set()
    for (user_id, board_id), role in roles.items():
        for requirement in requirements:
            if requirement.board_id != board_id or requirement.role != role:
                continue
            version = versions.get(requirement.agreement_id)
            if version is None:
                continue  # no version in force yet: nothing to sign (Obligation.outstanding)
            if Obligation(board_id, requirement.agreement, version, None).expired or (
                (user_id, version.pk) not in accepted
            ):
                gated.add((user_id, board_id))
    return {pair for pair in pairs if pair[0] in admins or (pair in roles and pair not in gated)}


def _codenames_of(user_ids: set[int], board_ids: set[int]) -> dict[tuple[int, int], set[str]]:
    """The board permission codenames of each (user, board), own grants and group grants, in one query."""
    if not user_ids:
        return {}
    grants = {"content_object_id__in": board_ids, "permission__content_type": ContentType.objects.get_for_model(Board)}
    direct = BoardUserObjectPermission.objects.filter(user_id__in=user_ids, **grants).values_list(
        "user_id", "content_object_id", "permission__codename"
    )
    via_groups = BoardGroupObjectPermission.objects.filter(group__user__in=user_ids, **grants).values_list(
        "group__user", "content_object_id", "permission__codename"
    )
    codenames: dict[tuple[int, int], set[str]] = {}
    for user_id, board_id, codename in direct.union(via_groups, all=True):
        codenames.setdefault((user_id, board_id), set()).add(codename)
    return codenames
