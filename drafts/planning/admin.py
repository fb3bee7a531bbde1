"""Pillars, calendar notes and deadlines in the Django admin: shown, never changed there. Their rules (targets
up to 100% together, the tag migration, who may, the audit events) live in drafts.planning's services, which
the board's pillars and notes pages, the draft page's deadline panel and the API call; the admin saving rows
directly would go round them."""

from django.contrib import admin

from drafts.planning.models import CalendarNote, Deadline, Pillar


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Pillar)
class PillarAdmin(ReadOnlyAdmin):
    """Changed on /boards/<slug>/pillars/ or through /api/boards/{id}/pillars/."""

    list_display = ["name", "board", "target_percent", "position"]
    list_filter = ["board"]
    exclude = ["drafts"]


@admin.register(CalendarNote)
class CalendarNoteAdmin(ReadOnlyAdmin):
    """Changed on /boards/<slug>/calendar/notes/ or through /api/boards/{id}/notes/."""

    list_display = ["title", "board", "starts_on", "ends_on"]
    list_filter = ["board"]


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    """Changed on the draft's page (its Deadline panel) or through /api/drafts/{id}/deadline/."""

    list_display = ["draft", "label", "due_at"]
