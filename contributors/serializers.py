from rest_framework import serializers

from contributors.models import Board
from contributors.permissions import board_role
from contributors.roles import Role


class BoardSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField(help_text="Your role on the board.")

    class Meta:
        model = Board
        fields = ["id", "name", "slug", "description", "time_zone", "required_approvals", "role", "created_at"]

    def get_role(self, board) -> str | None:
        return board_role(self.context["request"].user, board)


class MemberSerializer(serializers.Serializer):
    user = serializers.IntegerField(source="user.pk", read_only=True)
    username = serializers.CharField(source="user.username")
    role = serializers.ChoiceField(choices=Role.choices)
