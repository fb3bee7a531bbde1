"""Who hears about each event, in words: every event of Cocreate becomes notify() calls here.

Each function is run off the request path (a Celery task enqueued on commit, or beat) and is idempotent:
notify()'s unique (recipient, kind, source) makes a redelivered task, or a sweep overlapping it, tell each
person once. Titles are written for people ("Rui Reviewer (@rui) asked for changes on ‘Launch post’"), the
body is the reason, the comment or the platform's message in plain text, and the url is the exact page."""

import re
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from contributors.models import Board, User
from contributors.notifications.kinds import Kind
from contributors.notifications.services import Notice, notify, notify_all
from contributors.permissions import has_board_perm, is_site_admin
from contributors.profiles.people import person_label
from contributors.roles import REVIEW
from contributors.selectors import board_members
from drafts.models import Draft, DraftComment, DraftEvent, DraftState

# --- Draft events ----------------------------------------------------------------------------------------


def draft_url(draft: Draft | int, anchor: str = "") -> str:
    pk = draft if isinstance(draft, int) else draft.pk
    return reverse("draft-detail", args=[pk]) + (f"#{anchor}" if anchor else "")


def quoted(title: str) -> str:
    return f"‘{' '.join(title.split())}’"


def who(user: User | None) -> str:
    return person_label(user) if user is not None else "Cocreate"


def draft_authors(draft: Draft) -> list[User]:
    return [draft.author, *draft.coauthors.all()]


def board_people(board: Board, *roles: str) -> list[User]:
    return [user for user, role in board_members(board) if role in roles]


class EventBatch:
    """What the events of one batch share, each read once for all of them: the drafts' co-authors, their
    channels' publications and each board's people (a publishing batch settles many drafts at once)."""

    def __init__(self, events: list[DraftEvent]):
        self.drafts = {event.draft_id: event.draft for event in events}
        prefetch_related_objects([event.draft for event in events], "coauthors")
        self._publications: dict[tuple[int, str], list] | None = None
        self._people: dict[int, list[tuple]] = {}

    def authors(self, draft: Draft) -> list[User]:
        return draft_authors(draft)

    def people(self, board: Board, *roles: str) -> list[User]:
        if board.pk not in self._people:
            self._people[board.pk] = board_members(board)
        return [user for user, role in self._people[board.pk] if role in roles]

    def publications(self, draft: Draft, state: str) -> list:
        """The draft's publications in `state` with their channels, by channel name."""
        if self._publications is None:
            from publishing.models import Publication

            self._publications = {}
            for publication in (
                Publication.objects.filter(draft__in=list(self.drafts))
                .select_related("channel")
                .order_by("channel__name", "id")
            ):
                self._publications.setdefault((publication.draft_id, publication.state), []).append(publication)
        return self._publications.get((draft.pk, state), [])


def draft_event_fanout(event: DraftEvent) -> list[int]:
    """The notifications of one workflow step. Returns the ids made (or found made already)."""
    return draft_events_fanout([event])


def draft_events_fanout(events: list[DraftEvent]) -> list[int]:
    """The notifications of many workflow steps, decided and made together (notify_all)."""
    batch = EventBatch(events)
    return notify_all([notice for event in events if (notice := draft_event_notice(event, batch)) is not None])


def draft_event_notice(event: DraftEvent, batch: EventBatch) -> Notice | None:
    """Who hears of one workflow step, and in which words; None for steps that are history, not news."""
    draft = event.draft
    title = quoted(draft.title)
    actor = event.actor
    name = event.transition

    def tell(kind: str, recipients: list[User], title: str, body: str = "") -> Notice:
        return Notice(
            kind=kind,
            recipients=recipients,
            source=f"event:{event.pk}",
            title=title,
            body=body,
            url=draft_url(draft),
            actor=actor,
            draft=draft,
        )

    if name == "submit":
        again = " again" if draft.review_round > 1 and event.source == DraftState.DRAFT else ""
        return tell(
            kind=Kind.SUBMITTED,
            recipients=batch.people(draft.board, "reviewer", "manager"),
            title=f"{who(actor)} submitted {title}{again} for review",
            body=event.comment,
        )
    if name == "request_changes":
        return tell(
            kind=Kind.CHANGES_REQUESTED,
            recipients=batch.authors(draft),
            title=f"{who(actor)} asked for changes on {title}",
            body=event.comment,
        )
    if name == "approve":
        approvals, required = event.data.get("approvals"), event.data.get("required")
        if event.target == DraftState.APPROVED:
            text = f"{who(actor)} approved {title}: it can be scheduled"
        else:
            text = f"{who(actor)} approved {title} (approved by {approvals} of {required})"
        return tell(kind=Kind.APPROVED, recipients=batch.authors(draft), title=text, body=event.comment)
    if name in ("schedule", "retry"):
        when = _zoned(draft.publish_at, draft.board)
        verb = "scheduled" if name == "schedule" else "scheduled again"
        return tell(
            kind=Kind.SCHEDULED,
            recipients=batch.authors(draft),
            title=f"{who(actor)} {verb} {title} for {when}",
            body=_scheduled_channels(draft, event.comment, batch),
        )
    if name == "unschedule":
        return tell(
            kind=Kind.SCHEDULED,
            recipients=batch.authors(draft),
            title=f"{who(actor)} took {title} off the schedule",
            body=event.comment,
        )
    if name == "mark_published":
        return tell(
            kind=Kind.PUBLISHED,
            recipients=batch.authors(draft),
            title=f"{title} is live",
            body=_live_links(draft, batch),
        )
    if name == "mark_failed":
        return tell(
            kind=Kind.FAILED,
            recipients=[*batch.authors(draft), *batch.people(draft.board, "manager")],
            title=f"{title} did not go out everywhere it was scheduled for",
            body=_failures(draft, event.comment, batch),
        )
    return None  # create, set_coauthors, archive: history, not news


def _zoned(when: datetime | None, board: Board) -> str:
    from contributors.templatetags.zoned import zoned_words

    return zoned_words(when, board) if when is not None else "as soon as possible"


def _scheduled_channels(draft: Draft, comment: str, batch: EventBatch) -> str:
    from publishing.models import PublicationState

    pending = sorted(batch.publications(draft, PublicationState.PENDING), key=lambda p: (p.due_at, p.pk))
    lines = [f"{publication.channel.name}: {_zoned(publication.due_at, draft.board)}" for publication in pending]
    return "\n".join([*lines, *([comment] if comment else [])])


def _live_links(draft: Draft, batch: EventBatch) -> str:
    from publishing.models import PublicationState

    lines = []
    for publication in batch.publications(draft, PublicationState.PUBLISHED):
        url = publication.platform_url if publication.platform_url.startswith(("https://", "http://")) else ""
        lines.append(f"{publication.channel.name}: {url or 'published (the platform gave no link)'}")
    return "\n".join(lines)


RETRY_HINT = "The publication log shows each attempt: fix what failed and retry (only the failed channels go again)."


def _failures(draft: Draft, comment: str, batch: EventBatch) -> str:
    from publishing.models import PublicationState

    lines = [
        f"{publication.channel.name}: {publication.last_error or 'failed'}"
        for publication in batch.publications(draft, PublicationState.FAILED)
    ]
    text = "\n".join(lines) or comment
    return f"{text}\n\n{RETRY_HINT}"


# --- Comments and mentions ---------------------------------------------------------------------------------

# An @name not glued to a word before it (so an e-mail address is no mention), made of the characters a
# username may hold; trailing punctuation ("@alice," "@bob.") is not part of the name.
MENTION = re.compile(r"(?<![\w@.+-])@([\w.@+-]{1,150})")
_CODE = re.compile(r"```.*?(?:```|\Z)|~~~.*?(?:~~~|\Z)|`[^`\n]*`", re.DOTALL)
MAX_MENTIONS = 20


def mentioned_names(text: str) -> list[str]:
    """The usernames @mentioned in a Markdown text, in order, once each (lower-cased); none inside code."""
    text = _CODE.sub(" ", text or "")
    names: dict[str, None] = {}
    for match in MENTION.finditer(text):
        name = match.group(1).rstrip(".-+@")
        if name:
            names.setdefault(name.lower(), None)
    return list(names)[:MAX_MENTIONS]


def may_see_draft(user: User, draft: Draft) -> bool:
    """Reviewers and managers see every draft of the board; contributors see their own (notify() checks the
    board itself and the agreement gate)."""
    if is_site_admin(user) or has_board_perm(user, draft.board, REVIEW):
        return True
    return user.pk == draft.author_id or any(coauthor.pk == user.pk for coauthor in draft.coauthors.all())


def _mentionable(draft: Draft, names: list[str]) -> list[User]:
    """The people named who may be mentioned on the draft's board: its members, and site admins (who see every
    board). Anyone else named is left alone (an outsider learns nothing of the draft)."""
    if not names:
        return []
    members = {user.username.lower(): user for user, _role in board_members(draft.board)}
    found = [members[name] for name in names if name in members]
    others = [name for name in names if name not in members]
    if others:
        named = Q()
        for name in others:
            named |= Q(username__iexact=name)
        found += [user for user in User.objects.filter(named, is_active=True) if is_site_admin(user)]
    return found


def comment_fanout(comment: DraftComment) -> list[int]:
    """A comment or reply tells the draft's authors and everyone in its thread (Kind.COMMENT); the board's
    members it @mentions are told with Kind.MENTION instead (one notification each, the mention winning)."""
    draft = comment.draft
    author = comment.author
    thread = comment.parent or comment
    title = quoted(draft.title)
    body = comment.body
    url = draft_url(draft, f"comment-{comment.pk}")
    source = f"comment:{comment.pk}"
    named = _mentionable(draft, mentioned_names(body))
    mentioned = [user for user in named if user.pk != author.pk and may_see_draft(user, draft)]
    made = notify(
        kind=Kind.MENTION,
        recipients=mentioned,
        source=source,
        title=f"{who(author)} mentioned you on {title}",
        body=body,
        url=url,
        actor=author,
        draft=draft,
    )
    mentioned_ids = {user.pk for user in mentioned}
    in_thread = [thread.author] if thread.pk != comment.pk else []
    replies = DraftComment.objects.filter(parent=thread).exclude(pk=comment.pk).select_related("author")
    in_thread += [reply.author for reply in replies]
    people = {user.pk: user for user in [*draft_authors(draft), *in_thread] if user.pk not in mentioned_ids}
    verb = "replied on" if comment.parent_id else "commented on"
    made += notify(
        kind=Kind.COMMENT,
        recipients=[user for user in people.values() if may_see_draft(user, draft)],
        source=source,
        title=f"{who(author)} {verb} {title}",
        body=body,
        url=url,
        actor=author,
        draft=draft,
    )
    return made


# --- Invitations, agreements, briefs ---------------------------------------------------------------------------


def invitation_fanout(invitation, *, accept_path: str) -> list[int]:
    """An invited person who already has an account is told in the app too (the invitation's own e-mail is
    the e-mail: the caller marks these rows e-mailed)."""
    users = list(get_user_model().objects.filter(email__iexact=invitation.email, is_active=True))
    if not users:
        return []
    return notify(
        kind=Kind.INVITED,
        recipients=users,
        source=f"invitation:{invitation.pk}:{invitation.nonce[:24]}",
        title=f"{who(invitation.inviter)} invited you to {invitation.board.name} as {invitation.role}",
        body=invitation.message,
        url=accept_path,
        actor=invitation.inviter,
        board=invitation.board,
    )


def agreement_version_fanout(version) -> list[int]:
    """A new version to accept: everyone whose role on a board requires the agreement signs (again)."""
    agreement = version.agreement
    made: list[int] = []
    first = version.number == 1
    effective = f"{version.effective_on:%-d %B %Y}"
    for requirement in agreement.requirements.select_related("board"):
        board = requirement.board
        verb = "Sign" if first else "Sign the new version of"
        made += notify(
            kind=Kind.AGREEMENT,
            recipients=board_people(board, requirement.role),
            source=f"agreement-version:{version.pk}",
            title=f"{verb} “{agreement.title}” to keep working on {board.name}",
            body=(
                f"Version {version.number} applies from {effective}. Until you sign it, the board's drafts, "
                "guidelines and briefs wait for you."
            ),
            url=reverse("agreement-detail", args=[agreement.pk]),
            actor=version.created_by,
            board=board,
        )
    return made


def brief_claim_fanout(claim) -> list[int]:
    brief = claim.brief
    return notify(
        kind=Kind.BRIEF_CLAIMED,
        recipients=[brief.created_by, *board_people(brief.board, "manager")],
        source=f"brief-claim:{claim.pk}",
        title=f"{who(claim.contributor)} took a place on the brief “{brief.topic}”",
        body=f"Their draft: {claim.draft.title}",
        url=reverse("brief-detail", args=[brief.pk]),
        actor=claim.contributor,
        board=brief.board,
    )


# Reminders before a brief's deadline, to each claimant whose draft is not submitted yet.
DEADLINE_STEPS = (timedelta(hours=48), timedelta(hours=24))


def brief_deadlines_remind(*, now: datetime | None = None) -> int:
    """Remind claimants whose brief's deadline is within a step (48 h, then 24 h) and whose draft is still a
    draft. Each (claim, step) is told once, so beat may run this as often as it likes."""
    from contributors.briefs.models import BriefClaim

    now = now or timezone.now()
    made = 0
    claims = (
        BriefClaim.objects.filter(
            brief__closed_at=None,
            brief__deadline__gt=now,
            brief__deadline__lte=now + max(DEADLINE_STEPS),
            draft__state=DraftState.DRAFT,
        )
        .select_related("brief__board", "contributor", "draft")
        .order_by("brief__deadline", "pk")
    )
    for claim in claims[:1000]:
        left = claim.brief.deadline - now
        step = min((s for s in DEADLINE_STEPS if left <= s), default=None)
        if step is None:
            continue
        hours = int(step.total_seconds() // 3600)
        made += len(
            notify(
                kind=Kind.BRIEF_DEADLINE,
                recipients=[claim.contributor],
                source=f"brief-deadline:{claim.brief_id}:{claim.pk}:{hours}h",
                title=f"The brief “{claim.brief.topic}” is due {_zoned(claim.brief.deadline, claim.brief.board)}",
                body=f"Less than {hours} hours left: submit {quoted(claim.draft.title)} for review in time.",
                url=draft_url(claim.draft),
                board=claim.brief.board,
                draft=claim.draft,
            )
        )
    return made


# --- By id, for the Celery tasks (a row deleted meanwhile tells nobody) ------------------------------------------


def comment_notify(*, comment_id: int) -> int:
    from drafts.models import DraftComment

    comment = (
        DraftComment.objects.select_related("draft__board", "draft__author", "author", "parent__author")
        .filter(pk=comment_id)
        .first()
    )
    return len(comment_fanout(comment)) if comment is not None else 0


def agreement_version_notify(*, version_id: int) -> int:
    from contributors.agreements.models import AgreementVersion

    version = AgreementVersion.objects.select_related("agreement", "created_by").filter(pk=version_id).first()
    return len(agreement_version_fanout(version)) if version is not None else 0


def brief_claim_notify(*, claim_id: int) -> int:
    from contributors.briefs.models import BriefClaim

    claim = (
        BriefClaim.objects.select_related("brief__board", "brief__created_by", "contributor", "draft")
        .filter(pk=claim_id)
        .first()
    )
    return len(brief_claim_fanout(claim)) if claim is not None else 0
