from django.urls import reverse
from rest_framework import serializers

from cocreate.api import IdField
from contributors.selectors import boards_for_user
from drafts.models import Draft, DraftComment, DraftEvent, DraftImage, DraftRevision


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


class DraftSerializer(serializers.ModelSerializer):
    board = VisibleBoardField()
    author = serializers.PrimaryKeyRelatedField(read_only=True)
    author_username = serializers.CharField(source="author.username", read_only=True)
    coauthors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=20)
    variants = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    images = DraftImageSerializer(many=True, read_only=True)

    class Meta:
        model = Draft
        fields = [
            "id",
            "board",
            "title",
            "body",
            "state",
            "version",
            "tags",
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


class DraftDetailSerializer(DraftSerializer):
    available_transitions = serializers.SerializerMethodField()

    class Meta(DraftSerializer.Meta):
        fields = DraftSerializer.Meta.fields + ["available_transitions"]

    def get_available_transitions(self, draft) -> list[str]:
        from drafts.selectors import draft_available_transitions

        return draft_available_transitions(draft, self.context["request"].user)


class DraftUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The version you started editing from.")
    title = serializers.CharField(max_length=200, required=False)
    body = serializers.CharField(allow_blank=True, required=False, trim_whitespace=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=20)
    variants = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)


class CoauthorsSerializer(serializers.Serializer):
    coauthors = serializers.ListField(child=IdField(), max_length=50, help_text="User ids; replaces the list.")


class TransitionSerializer(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True, required=False, default="", max_length=10_000)
    publish_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="If given, refused with 409 when stale."
    )


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


class RevisionDiffSerializer(serializers.Serializer):
    from_revision = serializers.IntegerField()
    to_revision = serializers.IntegerField()
    diff = serializers.ListField(child=serializers.CharField())


class DraftCommentSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = DraftComment
        fields = ["id", "author", "body", "created_at"]
        read_only_fields = ["id", "author", "created_at"]
