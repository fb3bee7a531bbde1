from rest_framework import serializers

from contributors.selectors import boards_for_user
from drafts.models import Draft, DraftComment, DraftEvent, DraftRevision


class VisibleBoardField(serializers.PrimaryKeyRelatedField):
    """A board id the requesting user can see; any other id is 'does not exist', so nothing leaks."""

    def get_queryset(self):
        return boards_for_user(self.context["request"].user)


class DraftSerializer(serializers.ModelSerializer):
    board = VisibleBoardField()
    author = serializers.PrimaryKeyRelatedField(read_only=True)
    author_username = serializers.CharField(source="author.username", read_only=True)
    coauthors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=20)
    variants = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)

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
    coauthors = serializers.ListField(
        child=serializers.IntegerField(min_value=1), max_length=50, help_text="User ids; replaces the list."
    )


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

    class Meta:
        model = DraftRevision
        fields = ["number", "title", "body", "tags", "variants", "author", "created_at"]


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
