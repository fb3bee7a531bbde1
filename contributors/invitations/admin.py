from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from cocreate.errors import Conflict
from contributors.invitations import services
from contributors.invitations.models import Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are created on the board's page or the API; revoking goes through the service."""

    list_display = ("email", "board", "role", "display_status", "inviter", "expires_at", "accepted_by", "created_at")
    list_filter = ("status", "board", "role")
    search_fields = ("email", "board__name", "inviter__username")
    readonly_fields = [f.name for f in Invitation._meta.fields if f.name != "nonce"]
    exclude = ("nonce",)
    actions = ["revoke"]

    @admin.display(description="status")
    def display_status(self, obj: Invitation) -> str:
        return obj.display_status

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Revoke the selected pending invitations", permissions=["view"])
    def revoke(self, request, queryset):
        revoked = 0
        for invitation in queryset.select_related("board"):
            try:
                services.invitation_revoke(invitation=invitation, actor=request.user)
                revoked += 1
            except (Conflict, PermissionDenied) as exc:
                messages.warning(request, f"{invitation}: {getattr(exc, 'message', exc)}")
        self.message_user(request, f"Revoked {revoked} invitation(s).")
