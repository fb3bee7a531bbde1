from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import format_html

from cocreate.errors import Conflict
from drafts import services
from drafts.models import Draft, DraftComment, DraftEvent, DraftImage, DraftRevision


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = DraftEvent
    fields = readonly_fields = ("created_at", "transition", "source", "target", "actor", "comment")


class RevisionInline(ReadOnlyInline):
    model = DraftRevision
    fields = readonly_fields = ("number", "title", "author", "created_at")


class ImageInline(ReadOnlyInline):
    """Shown, never changed here: images are added and removed through drafts.images (editor or API)."""

    model = DraftImage
    fields = readonly_fields = (
        "position",
        "preview",
        "alt_text",
        "content_type",
        "width",
        "height",
        "size",
        "sha256",
        "uploaded_by",
        "created_at",
    )

    @admin.display(description="image")
    def preview(self, image):
        url = reverse("draft-image", kwargs={"draft_id": image.draft_id, "image_id": image.pk})
        html = '<a href="{}"><img src="{}" alt="{}" style="max-height: 6rem"></a>'
        return format_html(html, url, url, image.alt_text)


class CommentInline(ReadOnlyInline):
    model = DraftComment
    fields = readonly_fields = ("created_at", "author", "body")


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    """Content edits go through draft_update (revision + version); state changes only through transitions."""

    list_display = ("title", "board", "state", "author", "version", "updated_at")
    list_filter = ("state", "board")
    search_fields = ("title", "author__username")
    list_select_related = ("board", "author")
    fields = ("board", "author", "title", "body", "tags", "variants", "state", "version", "publish_at")
    readonly_fields = ("board", "author", "state", "version", "publish_at")
    inlines = [ImageInline, EventInline, RevisionInline, CommentInline]
    actions = ["archive_selected"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.draft_update(
            draft_id=obj.pk,
            actor=request.user,
            version=obj.version,
            title=obj.title,
            body=obj.body,
            tags=obj.tags,
            variants=obj.variants,
        )

    @admin.action(description="Archive selected drafts")
    def archive_selected(self, request, queryset):
        archived = 0
        for draft in queryset:
            try:
                services.draft_transition(draft_id=draft.pk, name="archive", actor=request.user)
                archived += 1
            except (Conflict, PermissionDenied, ValidationError) as exc:
                self.message_user(request, f"{draft}: {exc}", messages.WARNING)
        self.message_user(request, f"Archived {archived} draft(s).")


@admin.register(DraftEvent)
class DraftEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "draft", "transition", "source", "target", "actor")
    list_filter = ("transition", "target")
    list_select_related = ("draft", "actor")
    search_fields = ("draft__title", "actor__username")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
