from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from contributors import services
from contributors.models import Board, RoleChange, User
from contributors.profiles.people import validate_visible_name

NAME_FIELDS = ("username", "first_name", "last_name", "display_name")


class VisibleNames:
    """The admin refuses the names the profile page and the invitations refuse (invisible formatting and
    bidirectional-control characters), at the field that holds one."""

    def clean(self):
        cleaned = super().clean()
        for name in NAME_FIELDS:
            try:
                validate_visible_name(cleaned.get(name) or "")
            except ValidationError as problem:
                self.add_error(name, problem)
        return cleaned


class UserAdminChangeForm(VisibleNames, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


class UserAdminCreationForm(VisibleNames, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    fieldsets = DjangoUserAdmin.fieldsets + (("Profile", {"fields": ("display_name",)}),)
    list_display = ("username", "display_name", "email", "is_staff", "is_active")


class RoleChangeInline(admin.TabularInline):
    model = RoleChange
    fk_name = "board"
    extra = 0
    can_delete = False
    fields = ("created_at", "user", "previous_role", "new_role", "actor")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "time_zone", "required_approvals", "created_at")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "slug")
    inlines = [RoleChangeInline]


@admin.register(RoleChange)
class RoleChangeAdmin(admin.ModelAdmin):
    """Roles are granted here by adding a role change: it goes through the same service as everywhere."""

    list_display = ("created_at", "board", "user", "previous_role", "new_role", "actor")
    list_filter = ("board", "new_role")
    search_fields = ("user__username", "board__name")
    fields = ("board", "user", "new_role")
    autocomplete_fields = ("user",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if obj.new_role:
            change_row = services.board_role_grant(
                board=obj.board, user=obj.user, role=obj.new_role, actor=request.user
            )
        else:
            change_row = services.board_role_revoke(board=obj.board, user=obj.user, actor=request.user)
        # The service wrote the audit row (or found nothing to change); the admin shows that row.
        if change_row is not None:
            obj.pk = change_row.pk
        else:
            self.message_user(request, "Nothing changed: the user already had that role.")
            obj.pk = None

    def response_add(self, request, obj, post_url_continue=None):
        return redirect("admin:contributors_rolechange_changelist")
