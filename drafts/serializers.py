import functools
from typing import ClassVar

from django.urls import reverse
from django.utils.dateparse import parse_datetime
from drf_spectacular.extensions import OpenApiSerializerExtension, OpenApiSerializerFieldExtension
from rest_framework import serializers

from cocreate.api import IdField
from contributors.selectors import boards_for_user
from drafts.anchoring import QUOTE_MAX_CHARS
from drafts.models import Draft, DraftComment, DraftEvent, DraftImage, DraftRevision
from drafts.steps import COMMENT_MAX_LENGTH, STEPS, Step


class VisibleBoardField(serializers.PrimaryKeyRelatedField):
    """A board id the requesting user can see; any other id is 'does not exist', so nothing leaks."""

    def get_queryset(self):
        return boards_for_user(self.context["request"].user)


class DraftImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Where the image is served, to whoever may see the draft.")

    class Meta:
        model = DraftImage
        fields = ["id", "url", "alt_text", "position", "width", "height", "size", "content_type", "sha256"]
        read_only_fields = fields

    def get_url(self, image) -> str:
        return reverse("draft-image", kwargs={"draft_id": image.draft_id, "image_id": image.pk})


class DraftImageResultSerializer(DraftImageSerializer):
    draft_version = serializers.IntegerField(source="draft.version", help_text="The draft's version after the change.")

    class Meta(DraftImageSerializer.Meta):
        fields = DraftImageSerializer.Meta.fields + ["draft_version"]
        read_only_fields = fields


class DraftImageUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PNG, JPEG, GIF or WebP; re-encoded without its metadata.")
    alt_text = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)
    version = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="If given, refused with 409 when stale."
    )


class DraftImageUpdateSerializer(serializers.Serializer):
    alt_text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    position = serializers.IntegerField(required=False, min_value=0, help_text="0 is first; the others shift.")
    version = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="If given, refused with 409 when stale."
    )


MAX_DRAFT_PILLARS = 20


class DraftPillarsField(serializers.Field):
    """A draft's content pillars (drafts.planning). In: a list of pillar ids of the draft's board (the service
    refuses any other, by id); out: each pillar as {id, name, colour}, in the board's order."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def get_attribute(self, draft):
        listed = getattr(draft, "pillar_list", None)  # attached to list rows in one query
        return listed if listed is not None else list(draft.pillars.all())

    def to_representation(self, pillars):
        return [{"id": pillar.pk, "name": str(pillar.name), "colour": str(pillar.colour)} for pillar in pillars]

    def to_internal_value(self, data):
        return serializers.ListField(child=IdField(), max_length=MAX_DRAFT_PILLARS).run_validation(data)


class DraftPillarsSchema(OpenApiSerializerFieldExtension):
    target_class = DraftPillarsField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {
                "type": "array",
                "items": {"type": "integer"},
                "maxItems": MAX_DRAFT_PILLARS,
                "description": "Ids of the board's content pillars (GET /api/boards/{id}/pillars/); replaces the list.",
            }
        chip = {
            "type": "object",
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "colour": {"type": "string"}},
            "required": ["id", "name", "colour"],
        }
        return {"type": "array", "items": chip, "readOnly": False, "description": "The draft's content pillars."}


class DraftSerializer(serializers.ModelSerializer):
    board = VisibleBoardField()
    author = serializers.PrimaryKeyRelatedField(read_only=True)
    author_username = serializers.CharField(source="author.username", read_only=True)
    coauthors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=20)
    pillars = DraftPillarsField()
    variants = serializers.DictField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False),
        required=False,
        help_text=(
            "The draft's own text per channel: `channel:<id>` for one of the board's channels, `kind:<kind>` for "
            "every channel of a kind (e.g. kind:bluesky). A channel publishes its own text, else its kind's, "
            "else the body."
        ),
    )
    images = DraftImageSerializer(many=True, read_only=True)
    changes_requested = serializers.BooleanField(
        read_only=True, help_text="A reviewer sent the draft back for changes; false again once it is resubmitted."
    )
    state_label = serializers.CharField(
        read_only=True, help_text='The state as people read it: "Changes requested" for a draft sent back.'
    )

    class Meta:
        model = Draft
        fields = [
            "id",
            "board",
            "title",
            "body",
            "state",
            "state_label",
            "changes_requested",
            "version",
            "tags",
            "pillars",
            "variants",
            "author",
            "author_username",
            "coauthors",
            "images",
            "publish_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["state", "version", "publish_at", "created_at", "updated_at"]

    def to_representation(self, draft):
        """The fields above, written out: DRF's generic walk over them (an attribute lookup, a None check and
        a conversion per field) was a third of a 50-row list's time. tests/test_draft_representation.py
        checks that this gives exactly what the generic walk gives."""
        datetime_field = self.fields["created_at"]
        coauthor_ids = getattr(draft, "coauthor_ids", None)
        if coauthor_ids is None:
            coauthor_ids = [user.pk for user in draft.coauthors.all()]
        images = getattr(draft, "image_list", None)
        if images is None:
            images = draft.images.all()
        author_username = getattr(draft, "author_username", None)
        if author_username is None:
            author_username = draft.author.username
        pillars = self.fields["pillars"]
        return {
            "id": draft.pk,
            "board": draft.board_id,
            "title": str(draft.title),
            "body": str(draft.body),
            "state": str(draft.state),
            "state_label": str(draft.state_label),
            "changes_requested": bool(draft.changes_requested),
            "version": int(draft.version),
            "tags": _strings(draft.tags),
            "pillars": pillars.to_representation(pillars.get_attribute(draft)),
            "variants": {str(key): None if text is None else str(text) for key, text in draft.variants.items()},
            "author": draft.author_id,
            "author_username": str(author_username),
            "coauthors": coauthor_ids,
            "images": [_image_representation(image) for image in images],
            "publish_at": None if draft.publish_at is None else datetime_field.to_representation(draft.publish_at),
            "created_at": datetime_field.to_representation(draft.created_at),
            "updated_at": datetime_field.to_representation(draft.updated_at),
        }


def _strings(values) -> list:
    return [None if value is None else str(value) for value in values]


def _image_representation(image) -> dict:
    """DraftImageSerializer's fields, as DraftSerializer.to_representation writes them out."""
    return {
        "id": image.pk,
        "url": reverse("draft-image", kwargs={"draft_id": image.draft_id, "image_id": image.pk}),
        "alt_text": str(image.alt_text),
        "position": int(image.position),
        "width": int(image.width),
        "height": int(image.height),
        "size": int(image.size),
        "content_type": str(image.content_type),
        "sha256": str(image.sha256),
    }


class DraftDetailSerializer(DraftSerializer):
    available_transitions = serializers.SerializerMethodField()

    class Meta(DraftSerializer.Meta):
        fields = DraftSerializer.Meta.fields + ["available_transitions"]

    def to_representation(self, draft):
        return {**super().to_representation(draft), "available_transitions": self.get_available_transitions(draft)}

    def get_available_transitions(self, draft) -> list[str]:
        from drafts.selectors import draft_available_transitions

        return draft_available_transitions(draft, self.context["request"].user)


class DraftUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The version you started editing from.")
    title = serializers.CharField(max_length=200, required=False)
    body = serializers.CharField(allow_blank=True, required=False, trim_whitespace=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=20)
    pillars = serializers.ListField(
        child=IdField(),
        required=False,
        max_length=MAX_DRAFT_PILLARS,
        help_text="Ids of the board's content pillars; replaces the list. Not part of the approved content.",
    )
    variants = serializers.DictField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False),
        required=False,
        help_text=(
            "The draft's own text per channel: `channel:<id>` for one of the board's channels, `kind:<kind>` for "
            "every channel of a kind (e.g. kind:bluesky). A channel publishes its own text, else its kind's, "
            "else the body."
        ),
    )


class CoauthorsSerializer(serializers.Serializer):
    coauthors = serializers.ListField(child=IdField(), max_length=50, help_text="User ids; replaces the list.")


class StepRequestSerializer(serializers.Serializer):
    """The body of one workflow step's POST, built from its description by transition_request_serializer.

    It only parses types; what is required and allowed is decided by draft_transition (drafts.steps), so the
    page and the API refuse the same things with the same messages.
    """

    step: ClassVar[Step]
    version = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="If given, refused with 409 when stale."
    )


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 time that says its UTC offset: a time without one would be read in a zone nobody chose."""

    default_error_messages = {"naive": "Give the time with its UTC offset, e.g. 2026-12-02T09:00:00+01:00."}

    def to_internal_value(self, value):
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None  # well formed but impossible (a 31 November): the parent says so
            if parsed is not None and parsed.tzinfo is None:
                self.fail("naive")
        return super().to_internal_value(value)


MAX_CHANNELS = 200  # more than any board has; bounds the work a request can ask for


class ChannelTimeSerializer(serializers.Serializer):
    """One channel's own publish time."""

    channel = IdField(help_text="A channel id, one of the chosen channels.")
    publish_at = AwareDateTimeField(help_text="When this channel publishes. ISO 8601 with offset.")


class ChannelTimesField(serializers.ListField):
    """A list of {channel, publish_at}, handed to the step as {channel id: time}."""

    child = ChannelTimeSerializer()

    def to_internal_value(self, data):
        entries = super().to_internal_value(data)
        times = {entry["channel"]: entry["publish_at"] for entry in entries}
        if len(times) < len(entries):
            raise serializers.ValidationError("Give each channel one time.")
        return times


def _step_field(argument) -> serializers.Field:
    help_text = f"{argument.label}. {argument.hint}".strip()
    if argument.kind == "datetime":
        return AwareDateTimeField(
            required=False, allow_null=True, default=None, help_text=f"{argument.label}. ISO 8601 with offset."
        )
    if argument.kind == "channels":
        return serializers.ListField(
            child=IdField(),
            required=False,
            allow_null=True,
            default=None,
            max_length=MAX_CHANNELS,
            help_text=f"{help_text} Channel ids; an empty list is refused.",
        )
    if argument.kind == "times":
        return ChannelTimesField(
            required=False, allow_null=True, default=None, max_length=MAX_CHANNELS, help_text=help_text
        )
    return serializers.CharField(
        required=False, allow_blank=True, default="", max_length=COMMENT_MAX_LENGTH, help_text=argument.label
    )


@functools.cache
def transition_request_serializer(step: Step) -> type[StepRequestSerializer]:
    fields: dict = {"step": step, "__doc__": f"The body of the “{step.button}” step ({step.name})."}
    for argument in step.arguments:
        fields[argument.name] = _step_field(argument)
    name = step.name.title().replace("_", "")
    return type(f"{name}TransitionSerializer", (StepRequestSerializer,), fields)


class StepRequestSchema(OpenApiSerializerExtension):
    """Marks a step's required arguments required in its schema (the serializer leaves that to the service)."""

    target_class = StepRequestSerializer
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        required = [argument.name for argument in self.target.step.arguments if argument.required]
        if required:
            schema["required"] = sorted(set(schema.get("required", [])) | set(required))
        return schema


class TransitionSerializer(serializers.Serializer):
    """Schema only: POST /api/drafts/{id}/transitions/{name}/ takes the body of step `name`."""


class TransitionSchema(OpenApiSerializerExtension):
    """One schema per step a person can take, offered as anyOf (the path's `name` says which applies; several
    steps take the same fields, so oneOf would not hold)."""

    target_class = TransitionSerializer

    def map_serializer(self, auto_schema, direction):
        from drafts.selectors import human_transition_names

        bodies = [transition_request_serializer(STEPS[name]) for name in human_transition_names()]
        return {"anyOf": [auto_schema.resolve_serializer(body, direction).ref for body in bodies]}


class DraftEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = DraftEvent
        fields = ["id", "transition", "source", "target", "actor", "comment", "data", "created_at"]


class TransitionResultSerializer(serializers.Serializer):
    event = DraftEventSerializer()
    draft = DraftDetailSerializer()


class DraftRevisionSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    images = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        read_only=True,
        help_text="The images at this revision, in order, as {sha256, alt_text}.",
    )

    class Meta:
        model = DraftRevision
        fields = ["number", "title", "body", "tags", "variants", "images", "author", "created_at"]


class VariantChangeSerializer(serializers.Serializer):
    channel = serializers.CharField()
    kind = serializers.ChoiceField(choices=["added", "removed", "changed"])
    html = serializers.CharField(source="markup", help_text="The text with <ins> and <del> around changed words.")


class ImageChangeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["added", "removed", "alt_changed", "moved"])
    position = serializers.IntegerField(help_text="1-based, in the newer revision (the older one if removed).")
    alt_text = serializers.CharField()
    old_alt_text = serializers.CharField()
    description = serializers.CharField(source="sentence", help_text='e.g. "Image added: alt text “A red bike”."')


class RevisionChangesSerializer(serializers.Serializer):
    title_html = serializers.CharField(source="title", allow_null=True, help_text="Null when the title is the same.")
    tags_added = serializers.ListField(child=serializers.CharField())
    tags_removed = serializers.ListField(child=serializers.CharField())
    body_html = serializers.CharField(
        source="body", allow_null=True, help_text="The rendered body with <ins>/<del> around changed words."
    )
    variants = VariantChangeSerializer(many=True)
    images = ImageChangeSerializer(many=True)


class RevisionDiffSerializer(serializers.Serializer):
    from_revision = serializers.IntegerField()
    to_revision = serializers.IntegerField()
    changes = RevisionChangesSerializer(help_text="What changed, word by word.")
    diff = serializers.ListField(child=serializers.CharField(), help_text="The same as a unified diff of lines.")


class CommentReplySerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = DraftComment
        fields = ["id", "author", "body", "created_at"]
        read_only_fields = ["id", "author", "created_at"]


class CommentAnchorSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["exact", "edited", "gone"],
        help_text="exact: the passage is in the text now; edited: found, slightly changed; gone: changed or removed.",
    )
    start = serializers.IntegerField(allow_null=True, help_text="Where the passage starts in the body's text now.")
    end = serializers.IntegerField(allow_null=True)


class DraftCommentSerializer(serializers.ModelSerializer):
    """A thread: a comment on the whole draft or on a passage (`quote`), with its replies."""

    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    body = serializers.CharField(max_length=COMMENT_MAX_LENGTH, help_text="Markdown.")
    quote = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        max_length=QUOTE_MAX_CHARS,
        help_text="The passage commented on, exactly as in the body's rendered text; empty for the whole draft.",
    )
    prefix = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        max_length=200,
        help_text="Text just before the passage (tells repeated passages apart).",
    )
    suffix = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        max_length=200,
        help_text="Text just after the passage.",
    )
    position = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, help_text="Where the passage starts."
    )
    revision = serializers.IntegerField(source="revision.number", read_only=True, allow_null=True, default=None)
    anchor = CommentAnchorSerializer(read_only=True, allow_null=True, help_text="Null for a whole-draft comment.")
    resolved = serializers.SerializerMethodField()
    resolved_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    replies = CommentReplySerializer(many=True, read_only=True)

    class Meta:
        model = DraftComment
        fields = [
            "id",
            "author",
            "body",
            "quote",
            "prefix",
            "suffix",
            "position",
            "revision",
            "anchor",
            "resolved",
            "resolved_at",
            "resolved_by",
            "replies",
            "created_at",
        ]
        read_only_fields = ["id", "author", "revision", "resolved_at", "resolved_by", "created_at"]

    def get_resolved(self, comment) -> bool:
        return comment.resolved_at is not None


class DraftPreviewSerializer(serializers.Serializer):
    """What one channel of the board would be sent for the draft now (publishing.selectors.draft_previews)."""

    channel = serializers.IntegerField(help_text="The channel's id.")
    name = serializers.CharField()
    kind = serializers.CharField(help_text="The channel's kind: mastodon, bluesky, x, wordpress...")
    kind_label = serializers.CharField()
    text = serializers.CharField(help_text="Exactly the text the platform would receive.")
    html = serializers.CharField(help_text='The HTML, where the platform takes HTML (WordPress, e-mail); else "".')
    length = serializers.IntegerField(help_text="The text's length by the platform's own counting rule.")
    limit = serializers.IntegerField(allow_null=True, help_text="The platform's limit; null where it has none.")
    over_limit = serializers.BooleanField()
    problems = serializers.ListField(
        child=serializers.CharField(), help_text="What would stop it being scheduled (too long, too many images...)."
    )
    extra = serializers.DictField(help_text="Platform extras: Bluesky's `facets` (links and hashtags, byte offsets).")
