from django.contrib import admin

from drafts.planning.models import CalendarNote, Deadline, Pillar


@admin.register(Pillar)
class PillarAdmin(admin.ModelAdmin):
    list_display = ["name", "board", "target_percent", "position"]
    list_filter = ["board"]
    raw_id_fields = ["drafts"]


@admin.register(CalendarNote)
class CalendarNoteAdmin(admin.ModelAdmin):
    list_display = ["title", "board", "starts_on", "ends_on"]
    list_filter = ["board"]


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["draft", "label", "due_at"]
    raw_id_fields = ["draft"]
