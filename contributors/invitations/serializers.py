from rest_framework import serializers

from cocreate.api import IdField
from contributors.invitations.models import Invitation
from contributors.roles import Role


class InvitationSerializer(serializers.ModelSerializer):
    status = serializers.CharField(source="display_status", read_only=True)
    inviter = serializers.CharField(source="inviter.username", read_only=True)
    accepted_by = serializers.CharField(source="accepted_by.username", read_only=True, default=None)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "board",
            "email",
            "role",
            "message",
            "status",
            "inviter",
            "expires_at",
            "created_at",
            "sent_at",
            "accepted_by",
            "accepted_at",
            "revoked_at",
        ]
        read_only_fields = fields


class InvitationCreateSerializer(serializers.Serializer):
    board = IdField()
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.choices, default=Role.CONTRIBUTOR)
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class InvitationAcceptSerializer(serializers.Serializer):
    token = serializers.CharField()
    name = serializers.CharField(required=False, max_length=150, help_text="For a new account (not signed in).")
    password = serializers.CharField(
        required=False, write_only=True, style={"input_type": "password"}, help_text="For a new account."
    )


class InvitationAcceptedSerializer(serializers.Serializer):
    invitation = InvitationSerializer()
    username = serializers.CharField()
    token = serializers.CharField(required=False, help_text="An API token, for a newly created account.")
    token_expiry = serializers.DateTimeField(required=False, help_text="When that token stops working.")
