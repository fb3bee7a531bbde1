from rest_framework import serializers


class QueueBoardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()


class QueueAuthorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class QueueItemSerializer(serializers.Serializer):
    """One draft in the review queue (built from a worklist.selectors.QueueRow)."""

    id = serializers.IntegerField(source="draft.pk")
    title = serializers.CharField(source="draft.title")
    board = QueueBoardSerializer()
    author = QueueAuthorSerializer(source="draft.author")
    state = serializers.CharField(source="draft.state")
    state_label = serializers.CharField(source="draft.state_label")
    changes_requested = serializers.BooleanField(source="draft.changes_requested")
    reason = serializers.CharField(help_text="Why it was sent back (state=changes), else empty.")
    tags = serializers.ListField(child=serializers.CharField(), source="draft.tags")
    waiting_since = serializers.DateTimeField(source="draft.state_since", help_text="When it entered this state.")
    due_at = serializers.DateTimeField(allow_null=True, help_text="When a draft in review becomes overdue.")
    overdue = serializers.BooleanField()
    approvals = serializers.IntegerField(help_text="Approvals in this review round.")
    required_approvals = serializers.IntegerField(source="required")
    approved_by_me = serializers.BooleanField()
    url = serializers.SerializerMethodField()

    def get_url(self, row) -> str:
        request = self.context.get("request")
        path = f"/drafts/{row.draft.pk}/"
        return request.build_absolute_uri(path) if request is not None else path


class QueueCountsSerializer(serializers.Serializer):
    review = serializers.IntegerField()
    approved = serializers.IntegerField()
    changes = serializers.IntegerField()


class QueuePageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    counts = QueueCountsSerializer(help_text="Drafts per state on the boards you review (the board filter applies).")
    results = QueueItemSerializer(many=True)
