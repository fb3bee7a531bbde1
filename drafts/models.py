import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

from contributors.models import Board
from drafts import rules


class DraftState(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    APPROVED = "approved", "Approved"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    FAILED = "failed", "Failed"
    ARCHIVED = "archived", "Archived"


class Draft(FSMModelMixin, models.Model):
    """A piece of content on its way from idea to platform.

    Never call a transition method directly: drafts.services.draft_transition locks the row, checks
    conditions and permissions, bumps the version and writes the audit event around it.
    """

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="drafts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="drafts")
    coauthors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="coauthored_drafts")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, help_text="Markdown.")
    tags = models.JSONField(default=list, blank=True, help_text="Content pillars.")
    variants = models.JSONField(default=dict, blank=True, help_text="Per-channel text, keyed by channel.")
    state = FSMField(default=DraftState.DRAFT, choices=DraftState.choices, protected=True, db_index=True)
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every change; for optimistic locking.")
    review_round = models.PositiveIntegerField(default=0, help_text="Incremented on each submit.")
    changes_requested = models.BooleanField(
        default=False, help_text="A reviewer sent it back for changes; cleared when it is submitted again."
    )
    publish_at = models.DateTimeField(null=True, blank=True)
    state_since = models.DateTimeField(
        default=timezone.now,
        db_default=Now(),
        help_text="When the draft entered its state (for one in review: when it was submitted); the review "
        "queue's \"waiting since\". Set by draft_transition with the transition's event.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Not columns: what drafts.selectors attaches to the rows of a list page (draft_list_rows, draft_page_rows).
    coauthor_ids: list[int]
    coauthor_list: list
    image_list: list
    pillar_list: list  # drafts.planning.pillar_selectors.pillars_attach

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            # author last (not INCLUDE, which SQLite lacks): the draft list's COUNT(*) and its page of ids
            # are answered from these indexes alone, without reading a heap page per visible draft.
            models.Index(fields=["board", "-updated_at", "-id", "author"], name="draft_board_recent"),
            models.Index(fields=["board", "state", "-updated_at", "-id", "author"], name="draft_board_state_recent"),
            models.Index(fields=["author", "-updated_at"], name="draft_author_recent"),
            # The claim tick's drafts_without_channels_publish: scheduled drafts by publish time, only them.
            models.Index(fields=["publish_at"], condition=models.Q(state="scheduled"), name="draft_scheduled_due"),
            # The review queue across boards (drafts.worklist): one state, oldest waiting first, read a page at
            # a time in (state_since, id) order; board, author and changes_requested filtered from the index.
            models.Index(
                fields=["state", "state_since", "id", "board", "author", "changes_requested"],
                name="draft_state_waiting",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    # --- Workflow: each transition declares its permission; conditions live in the service. ---------

    @transition(field=state, source=DraftState.DRAFT, target=DraftState.REVIEW, permission=rules.can_submit)
    def submit(self) -> None:
        self.review_round += 1
        self.changes_requested = False

    @transition(field=state, source=DraftState.REVIEW, target=DraftState.DRAFT, permission=rules.can_request_changes)
    def request_changes(self) -> None:
        self.changes_requested = True

    @property
    def state_label(self) -> str:
        """The state as lists show it: a draft sent back for changes says so, not just "Draft"."""
        return "Changes requested" if self.changes_requested else self.get_state_display()

    @transition(
        field=state,
        source=DraftState.REVIEW,
        target=RETURN_VALUE(DraftState.REVIEW, DraftState.APPROVED),
        permission=rules.can_approve,
    )
    def approve(self, *, approvals: int) -> str:
        """Stays in review until the board's approval policy is met."""
        return DraftState.APPROVED if approvals >= self.board.required_approvals else DraftState.REVIEW

    @transition(field=state, source=DraftState.APPROVED, target=DraftState.SCHEDULED, permission=rules.can_schedule)
    def schedule(self, *, publish_at) -> None:
        self.publish_at = publish_at

    @transition(field=state, source=DraftState.SCHEDULED, target=DraftState.APPROVED, permission=rules.can_schedule)
    def unschedule(self) -> None:
        self.publish_at = None

    @transition(
        field=state,
        source=[DraftState.DRAFT, DraftState.REVIEW, DraftState.APPROVED],
        target=DraftState.ARCHIVED,
        permission=rules.can_archive,
    )
    def archive(self) -> None:
        pass

    @transition(
        field=state,
        source=DraftState.SCHEDULED,
        target=DraftState.PUBLISHED,
        permission=rules.system_only,
        custom={"system": True},
    )
    def mark_published(self) -> None:
        pass

    @transition(
        field=state,
        source=DraftState.SCHEDULED,
        target=DraftState.FAILED,
        permission=rules.system_only,
        custom={"system": True},
    )
    def mark_failed(self) -> None:
        pass

    @transition(field=state, source=DraftState.FAILED, target=DraftState.SCHEDULED, permission=rules.can_schedule)
    def retry(self, *, publish_at) -> None:
        self.publish_at = publish_at


class DraftApproval(models.Model):
    """One reviewer's approval in one review round; a resubmitted draft needs fresh approvals."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="approvals")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    review_round = models.PositiveIntegerField()
    version = models.PositiveIntegerField(help_text="The draft version that was approved.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["draft", "reviewer", "review_round"], name="one_approval_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} approved {self.draft_id} (round {self.review_round})"


class DraftEvent(models.Model):
    """The audit log: one row per transition (and creation), written in the transition's transaction."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    transition = models.CharField(max_length=40)
    source = models.CharField(max_length=20, blank=True)
    target = models.CharField(max_length=20)
    comment = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["draft", "created_at"], name="event_draft_time"),
            # The sweep for e-mails whose task was lost reads only the events not yet e-mailed.
            models.Index(fields=["created_at"], condition=models.Q(notified_at=None), name="event_not_notified"),
        ]

    def __str__(self) -> str:
        return f"{self.transition}: {self.source or '-'} -> {self.target}"


class DraftRevision(models.Model):
    """A snapshot of the content after each save; numbered from 1 per draft."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    tags = models.JSONField(default=list, blank=True)
    variants = models.JSONField(default=dict, blank=True)
    images = models.JSONField(
        default=list, blank=True, help_text="The images in order, as {sha256, alt_text}: what changed shows in diffs."
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_round = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The review round this content was written for (its writers may not approve that round); "
        "empty for revisions saved before rounds were recorded, which count for every round.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="one_revision_number_per_draft")]

    def __str__(self) -> str:
        return f"{self.draft_id} r{self.number}"


class DraftComment(models.Model):
    """A comment on the whole draft, or on a passage of its body (an anchored comment), or a reply to one.

    A passage is held as the W3C Web Annotation TextQuoteSelector holds it: the exact text quoted plus a
    little text before and after it, in the body's rendered text as the revision then read. That survives
    edits elsewhere in the text (drafts.anchoring finds the quote again, the context telling repeats apart).
    Replies are one level deep: a reply to a reply belongs to the same thread.
    """

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(help_text="Markdown.")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies", help_text="The thread."
    )
    quote = models.TextField(blank=True, help_text="The passage commented on (empty: the whole draft).")
    prefix = models.CharField(max_length=64, blank=True, help_text="Text just before the passage.")
    suffix = models.CharField(max_length=64, blank=True, help_text="Text just after the passage.")
    position = models.PositiveIntegerField(null=True, blank=True, help_text="Where the passage started then.")
    revision = models.ForeignKey(
        DraftRevision,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The revision the comment was written on.",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["draft", "parent", "created_at"], name="comment_draft_thread"),
            # The draft page's latest resolved threads and the page of older ones (drafts.selectors).
            models.Index(fields=["draft", "parent", "resolved_at"], name="comment_draft_resolved"),
        ]

    def __str__(self) -> str:
        return f"{self.author_id} on {self.draft_id}: {self.body[:40]}"

    @property
    def is_anchored(self) -> bool:
        return bool(self.quote)


def draft_image_path(image: "DraftImage", filename: str) -> str:
    """A random name per upload: the contributor's file name never reaches the storage or a platform."""
    extension = "jpg" if image.content_type == "image/jpeg" else "png"
    return f"drafts/{image.draft_id}/{uuid.uuid4().hex}.{extension}"


class DraftImage(models.Model):
    """A picture that goes out with the draft. Written only by drafts.images services, which check the
    bytes are a real image, strip its metadata and store it through Django's storage API."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="images")
    file = models.ImageField(upload_to=draft_image_path, width_field="width", height_field="height")
    alt_text = models.CharField(max_length=1000, blank=True, help_text="Read aloud by screen readers.")
    position = models.PositiveSmallIntegerField(default=0)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(help_text="Bytes stored.")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"image {self.position} of draft {self.draft_id}"
