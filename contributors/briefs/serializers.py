from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cocreate import limits
from drafts.rendering import render_markdown
from drafts.serializers import VisibleBoardField

from .models import Brief
from .selectors import brief_claim_rows, brief_status


class BriefSerializer(serializers.ModelSerializer):
    board = VisibleBoardField()
    channels = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=20)
    deadline = serializers.DateTimeField(help_text="ISO 8601 with offset; must be in the future.")
    max_claims = serializers.IntegerField(required=False, default=1, help_text="How many contributors may take it.")
    claim_count = serializers.IntegerField(read_only=True)
    status = serializers.SerializerMethodField()
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Brief
        fields = [
            "id",
            "board",
            "topic",
            "description",
            "channels",
            "deadline",
            "max_claims",
            "claim_count",
            "status",
            "closed_at",
            "version",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["closed_at", "version", "created_at", "updated_at"]
        # The service cleans and checks every field; the serializer only parses types (and refuses what no
        # service would take before it is parsed further).
        extra_kwargs = {
            "topic": {"max_length": None},
            "description": {"trim_whitespace": False, "max_length": limits.BRIEF_DESCRIPTION_MAX_CHARS},
        }

    def get_status(self, brief) -> str:
        return brief_status(brief).value


class BriefUpdateSerializer(serializers.Serializer):
    topic = serializers.CharField(required=False)
    description = serializers.CharField(
        allow_blank=True, required=False, trim_whitespace=False, max_length=limits.BRIEF_DESCRIPTION_MAX_CHARS
    )
    channels = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=20)
    deadline = serializers.DateTimeField(required=False)
    max_claims = serializers.IntegerField(required=False)
    version = serializers.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        help_text="The brief's version you started editing from (409 when stale).",
    )


class ClaimDraftSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    state = serializers.CharField()


class BriefClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="claim.id")
    contributor = serializers.IntegerField(source="claim.contributor_id")
    contributor_username = serializers.CharField(source="claim.contributor.username")
    claimed_at = serializers.DateTimeField(source="claim.created_at")
    draft = ClaimDraftSerializer(allow_null=True, help_text="Null when the draft is not yours to see.")


class BriefDetailSerializer(BriefSerializer):
    description_html = serializers.SerializerMethodField()
    claims = serializers.SerializerMethodField()

    class Meta(BriefSerializer.Meta):
        fields = BriefSerializer.Meta.fields + ["description_html", "claims"]

    def get_description_html(self, brief) -> str:
        return render_markdown(brief.description)

    @extend_schema_field(BriefClaimSerializer(many=True))
    def get_claims(self, brief) -> list:
        return BriefClaimSerializer(brief_claim_rows(self.context["request"].user, brief), many=True).data


class ClaimResultSerializer(serializers.Serializer):
    claim = serializers.IntegerField()
    draft = serializers.IntegerField()
    brief = BriefDetailSerializer()
