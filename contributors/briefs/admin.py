from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from cocreate.errors import Conflict

from . import services
from .models import Brief, BriefClaim


class BriefAdminForm(forms.ModelForm):
    class Meta:
        model = Brief
        fields = ("board", "topic", "description", "channels", "deadline", "max_claims")

    def clean(self):
        data = super().clean()
        if not self.errors:
            services.brief_check_content(
                topic=data.get("topic", ""),
                description=data.get("description", ""),
                channels=data.get("channels"),
                deadline=data.get("deadline"),
                max_claims=data.get("max_claims"),
                brief=self.instance if self.instance.pk else None,
            )
        return data


class ClaimInline(admin.TabularInline):
    model = BriefClaim
    extra = 0
    can_delete = False
    fields = readonly_fields = ("created_at", "contributor", "draft")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Brief)
class BriefAdmin(admin.ModelAdmin):
    """Briefs are written through the same services as the pages and the API (checks included)."""

    form = BriefAdminForm
    list_display = ("topic", "board", "deadline", "max_claims", "closed_at", "created_by")
    list_filter = ("board",)
    search_fields = ("topic", "board__name")
    list_select_related = ("board", "created_by")
    fields = ("board", "topic", "description", "channels", "deadline", "max_claims", "closed_at", "created_by")
    readonly_fields = ("closed_at", "created_by")
    inlines = [ClaimInline]
    actions = ["close_selected"]

    def get_readonly_fields(self, request, obj=None):
        # A brief stays on its board: its claims' drafts were written there.
        return self.readonly_fields + (("board",) if obj is not None else ())

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        content = {
            "topic": obj.topic,
            "description": obj.description,
            "channels": obj.channels,
            "deadline": obj.deadline,
            "max_claims": obj.max_claims,
        }
        # The form ran the same checks (brief_check_content), so the service only refuses a lost race.
        if change:
            saved = services.brief_update(brief_id=obj.pk, actor=request.user, **content)
        else:
            saved = services.brief_create(board=obj.board, actor=request.user, **content)
        obj.pk = saved.pk
        obj.created_by = saved.created_by

    @admin.action(description="Close selected briefs")
    def close_selected(self, request, queryset):
        closed = 0
        for brief in queryset:
            try:
                services.brief_close(brief_id=brief.pk, actor=request.user)
                closed += 1
            except (Conflict, PermissionDenied, ValidationError) as exc:
                self.message_user(request, f"{brief}: {exc}", messages.WARNING)
        self.message_user(request, f"Closed {closed} brief(s).")


@admin.register(BriefClaim)
class BriefClaimAdmin(admin.ModelAdmin):
    """Claims are made by contributors (pages, API); the admin shows them."""

    list_display = ("created_at", "brief", "contributor", "draft")
    list_filter = ("brief__board",)
    search_fields = ("brief__topic", "contributor__username")
    list_select_related = ("brief", "contributor", "draft")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
