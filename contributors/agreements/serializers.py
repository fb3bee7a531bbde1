from rest_framework import serializers

from contributors.agreements.models import Acceptance, Agreement, AgreementVersion


class AgreementVersionSerializer(serializers.ModelSerializer):
    is_pdf = serializers.BooleanField(read_only=True)

    class Meta:
        model = AgreementVersion
        fields = ["number", "effective_on", "sha256", "is_pdf", "body"]


class AgreementSerializer(serializers.ModelSerializer):
    """An agreement with the version in force and where the requesting user stands with it."""

    current_version = serializers.SerializerMethodField()
    accepted = serializers.SerializerMethodField()
    expired = serializers.SerializerMethodField()
    required_on_boards = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = ["id", "title", "ends_on", "expired", "current_version", "accepted", "required_on_boards"]

    def _version(self, agreement) -> AgreementVersion | None:
        return self.context["versions"].get(agreement.pk)

    def get_current_version(self, agreement) -> dict | None:
        version = self._version(agreement)
        return AgreementVersionSerializer(version).data if version else None

    def get_accepted(self, agreement) -> bool:
        version = self._version(agreement)
        return version is not None and version.pk in self.context["accepted_version_ids"]

    def get_expired(self, agreement) -> bool:
        return agreement.ends_on is not None and agreement.ends_on <= self.context["today"]

    def get_required_on_boards(self, agreement) -> list[int]:
        """Boards where the requesting user's role requires this agreement."""
        return sorted(self.context["required_boards"].get(agreement.pk, set()))


class AcceptSerializer(serializers.Serializer):
    signature = serializers.CharField(max_length=200, help_text="Your full name, typed: it is your signature.")
    version = serializers.IntegerField(
        required=False, allow_null=True, help_text="The version you read; 409 if a newer one is in force."
    )


class AcceptanceSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    version = serializers.IntegerField(source="version_number", read_only=True)

    class Meta:
        model = Acceptance
        fields = [
            "id",
            "agreement",
            "version",
            "sha256",
            "user",
            "username",
            "signature",
            "accepted_at",
            "ip_address",
            "user_agent",
        ]
        read_only_fields = fields
