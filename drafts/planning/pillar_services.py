"""Every write to a board's content pillars. Pages, API, admin and the demo call these and nothing else.

The board's managers (and site admins) manage its pillars. The targets are shares of the board's posts, so
together they may not pass 100%; the board row is locked while a target changes, so two managers raising
targets at the same moment cannot overshoot together.

A pillar is also what the old free-text tags were about: when a pillar is made or renamed, the board's drafts
tagged with its name (any case) join it (pillar_tags_migrate). The tag leaves the draft's tags while the draft
is still being written; a submitted draft keeps it, because its tags are part of the content its reviewers
approved (they are in the fingerprint the publishing pipeline compares, and a webhook receives them).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, TextField
from django.db.models.functions import Cast

from contributors.models import Board, User
from contributors.permissions import require_manager
from drafts.models import Draft, DraftState
from drafts.planning import pillar_selectors
from drafts.planning.models import Pillar, validate_colour

NAME_MAX = 60
DESCRIPTION_MAX = 2000
PILLARS_MAX = 20
DEFAULT_COLOUR = "#4f6d7a"


# --- The tag migration (pure, so the data migration runs the very same rule) ------------------------------------


def tags_split(tags, names: set[str]) -> tuple[list[str], set[str]]:
    """A draft's tags against pillar names (casefolded): (the tags that stay plain tags, the names matched)."""
    kept: list[str] = []
    matched: set[str] = set()
    for tag in tags if isinstance(tags, list) else []:
        key = str(tag).strip().casefold()
        if key in names:
            matched.add(key)
        else:
            kept.append(tag)
    return kept, matched


def tags_stay(state: str) -> bool:
    """Whether a draft in `state` keeps a tag that became a pillar (see the module's docstring)."""
    return state != DraftState.DRAFT


def pillar_tags_migrate(*, pillar: Pillar, tag: str | None = None) -> int:
    """The board's drafts tagged with the pillar's name (or `tag`) join it; drafts still being written lose the
    tag (their version moves on, so an editor open with the old tags gets a conflict rather than putting the
    tag back). A fixed number of queries however many drafts match. Returns how many drafts joined."""
    name = (pillar.name if tag is None else tag).strip().casefold()
    drafts = Draft.objects.filter(board_id=pillar.board_id)
    if name.isascii():
        # A first sieve in SQL on the JSON's text (non-ASCII is stored escaped, so only for ASCII names).
        drafts = drafts.annotate(tags_text=Cast("tags", TextField())).filter(tags_text__icontains=name)
    rows = list(drafts.select_for_update(of=("self",)).only("pk", "tags", "state", "version").order_by("pk"))
    matching = []
    changed = []
    for draft in rows:
        kept, matched = tags_split(draft.tags, {name})
        if not matched:
            continue
        matching.append(draft.pk)
        if not tags_stay(draft.state):
            draft.tags = kept
            draft.version += 1
            changed.append(draft)
    if not matching:
        return 0
    through = Pillar.drafts.through
    through.objects.bulk_create(
        [through(pillar_id=pillar.pk, draft_id=pk) for pk in matching], ignore_conflicts=True, batch_size=500
    )
    if changed:
        Draft.objects.bulk_update(changed, ["tags", "version"], batch_size=500)
    return len(matching)


# --- Validation -----------------------------------------------------------------------------------------------


def _clean(*, board: Board, pillar: Pillar | None, name, colour, description, target_percent) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    if name is not None:
        name = " ".join(str(name).split())
        if not name:
            errors["name"] = ["Give the pillar a name, for example Product or Community."]
        elif len(name) > NAME_MAX:
            errors["name"] = [f"Keep the name to {NAME_MAX} characters (it has {len(name)})."]
        else:
            same = Pillar.objects.filter(board=board, name__iexact=name)
            if pillar is not None:
                same = same.exclude(pk=pillar.pk)
            if same.exists():
                errors["name"] = [f"This board already has a pillar called “{same.first()}”. Choose another name."]
        cleaned["name"] = name
    if colour is not None:
        colour = str(colour).strip().lower()
        try:
            validate_colour(colour)
        except ValidationError as bad:
            errors["colour"] = list(bad.messages)
        cleaned["colour"] = colour
    if description is not None:
        description = str(description).strip()
        if len(description) > DESCRIPTION_MAX:
            errors["description"] = [
                f"Keep the description to {DESCRIPTION_MAX:,} characters (it has {len(description):,})."
            ]
        cleaned["description"] = description
    if target_percent is not None:
        if isinstance(target_percent, bool) or not isinstance(target_percent, int) or not 0 <= target_percent <= 100:
            errors["target_percent"] = [
                "The target is a share of the board's posts in percent: a whole number from 0 to 100."
            ]
        else:
            others = Pillar.objects.filter(board=board)
            if pillar is not None:
                others = others.exclude(pk=pillar.pk)
            other_targets = [
                (p.name, p.target_percent) for p in others.order_by("position", "name") if p.target_percent
            ]
            total = sum(t for _, t in other_targets) + target_percent
            if total > 100:
                listed = ", ".join(f"{n} {t}%" for n, t in other_targets)
                room = max(0, 100 - (total - target_percent))
                errors["target_percent"] = [
                    f"The board's targets would add up to {total}% ({listed} and this one {target_percent}%); "
                    f"together they can be at most 100%. This pillar can have at most {room}%, or lower another "
                    "pillar's target first."
                ]
        cleaned["target_percent"] = target_percent
    if errors:
        raise ValidationError(errors)
    return cleaned


def _locked_board(board: Board) -> Board:
    return Board.objects.select_for_update().get(pk=board.pk)


def _saved(pillar: Pillar, fields: list[str] | None = None) -> Pillar:
    """Save, turning the unique-name race (another request made the same name meanwhile) into the same message."""
    try:
        with transaction.atomic():
            pillar.save(update_fields=fields) if fields else pillar.save()
    except IntegrityError as exc:
        taken = Pillar.objects.filter(board_id=pillar.board_id, name__iexact=pillar.name).exclude(pk=pillar.pk).first()
        name = taken.name if taken is not None else pillar.name
        raise ValidationError(
            {"name": [f"This board already has a pillar called “{name}”. Choose another name."]}
        ) from exc
    return pillar


# --- Writes ---------------------------------------------------------------------------------------------------


@transaction.atomic
def pillar_create(
    *,
    board: Board,
    actor: User | None,
    name: str,
    colour: str = DEFAULT_COLOUR,
    description: str = "",
    target_percent: int = 0,
) -> Pillar:
    """A new pillar at the end of the board's list; the board's drafts tagged with its name join it."""
    require_manager(actor, board)
    board = _locked_board(board)
    if Pillar.objects.filter(board=board).count() >= PILLARS_MAX:
        raise ValidationError({"name": [f"A board has at most {PILLARS_MAX} pillars: remove one first."]})
    cleaned = _clean(
        board=board,
        pillar=None,
        name=name if name is not None else "",
        colour=colour if colour is not None else DEFAULT_COLOUR,
        description=description or "",
        target_percent=target_percent if target_percent is not None else 0,
    )
    last = Pillar.objects.filter(board=board).aggregate(last=Max("position"))["last"]
    pillar = _saved(Pillar(board=board, position=0 if last is None else last + 1, **cleaned))
    pillar.migrated_drafts = pillar_tags_migrate(pillar=pillar)
    return pillar


@transaction.atomic
def pillar_update(
    *,
    board: Board,
    actor: User | None,
    pillar_id: int,
    name: str | None = None,
    colour: str | None = None,
    description: str | None = None,
    target_percent: int | None = None,
) -> Pillar:
    """Change what is given (None: leave it). A new name takes in the drafts tagged with it."""
    require_manager(actor, board)
    board = _locked_board(board)
    pillar = pillar_selectors.pillar_get(board, pillar_id)
    cleaned = _clean(
        board=board, pillar=pillar, name=name, colour=colour, description=description, target_percent=target_percent
    )
    changed = [field for field, value in cleaned.items() if getattr(pillar, field) != value]
    renamed = "name" in changed and pillar.name.casefold() != cleaned["name"].casefold()
    for field in changed:
        setattr(pillar, field, cleaned[field])
    if changed:
        _saved(pillar, changed)
    pillar.migrated_drafts = pillar_tags_migrate(pillar=pillar) if renamed else 0
    return pillar


@transaction.atomic
def pillar_tag_fold(*, board: Board, actor: User | None, pillar_id: int, tag: str) -> int:
    """The drafts tagged `tag` (any case) join the pillar, as if it were named so: "how-to" into Education."""
    require_manager(actor, board)
    if not str(tag or "").strip():
        raise ValidationError({"tag": ["Name the tag whose drafts should join the pillar."]})
    return pillar_tags_migrate(pillar=pillar_selectors.pillar_get(board, pillar_id), tag=str(tag))


@transaction.atomic
def pillar_delete(*, board: Board, actor: User | None, pillar_id: int) -> Pillar:
    """Remove the pillar; its drafts keep their other pillars (and their text: nothing else changes)."""
    require_manager(actor, board)
    board = _locked_board(board)
    pillar = pillar_selectors.pillar_get(board, pillar_id)
    pillar.delete()
    return pillar


@transaction.atomic
def pillar_reorder(*, board: Board, actor: User | None, pillar_ids: list[int]) -> list[Pillar]:
    """Put the board's pillars in this order; every pillar of the board, each once."""
    require_manager(actor, board)
    board = _locked_board(board)
    pillars = {p.pk: p for p in Pillar.objects.filter(board=board)}
    if sorted(pillar_ids) != sorted(pillars) or len(set(pillar_ids)) != len(pillar_ids):
        raise ValidationError({"order": ["List every pillar of this board once, in the order you want."]})
    for position, pk in enumerate(pillar_ids):
        pillars[pk].position = position
    Pillar.objects.bulk_update(list(pillars.values()), ["position"])
    return [pillars[pk] for pk in pillar_ids]


@transaction.atomic
def pillar_move(*, board: Board, actor: User | None, pillar_id: int, direction: str) -> Pillar:
    """One place up or down (the pillars page's buttons); at either end it stays where it is."""
    if direction not in ("up", "down"):
        raise ValidationError({"direction": ["Move a pillar up or down."]})
    require_manager(actor, board)
    ordered = [p.pk for p in pillar_selectors.board_pillars(_locked_board(board))]
    if pillar_id not in ordered:
        pillar_selectors.pillar_get(board, pillar_id)  # 404
    at = ordered.index(pillar_id)
    to = at - 1 if direction == "up" else at + 1
    if 0 <= to < len(ordered):
        ordered[at], ordered[to] = ordered[to], ordered[at]
    pillar_reorder(board=board, actor=actor, pillar_ids=ordered)
    return pillar_selectors.pillar_get(board, pillar_id)
