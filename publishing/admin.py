from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from cocreate.errors import Conflict
from publishing import services
from publishing.models import Channel, Publication, PublicationAttempt


class ChannelForm(forms.ModelForm):
    """Credentials are write-only: the form never shows them back, and an empty field keeps the old ones."""

    new_credentials = forms.JSONField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text='JSON, e.g. {"secret": "..."}; leave empty to keep the stored credentials.',
    )

    class Meta:
        model = Channel
        fields = ["board", "kind", "name", "settings", "is_active"]

    def clean(self):
        """The kind's required settings and credentials, judged by the same check as pages and API."""
        cleaned = super().clean()
        settings = cleaned.get("settings") or {}
        credentials = cleaned.get("new_credentials") or None
        try:
            if self.instance.pk:
                services.channel_change_check(self.instance, settings, credentials)
            else:
                services.channel_config_check(Channel(kind=cleaned.get("kind") or ""), settings, credentials or {})
        except ValidationError as problem:
            for field, errors in problem.message_dict.items():
                self.add_error("new_credentials" if field == "credentials" else field, errors)
        return cleaned


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    """Saved through channel_create / channel_update, like the channel pages and the API."""

    form = ChannelForm
    list_display = ("name", "board", "kind", "is_active")
    list_filter = ("kind", "board", "is_active")

    def get_readonly_fields(self, request, obj=None):
        # A channel's board and kind are fixed once it exists (channel_update changes neither).
        return ("board", "kind") if obj else ()

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            # The form has already copied the new values onto obj: the service compares with the stored row.
            services.channel_update(
                channel=Channel.objects.get(pk=obj.pk),
                actor=request.user,
                name=data["name"],
                settings=data.get("settings") or {},
                credentials=data.get("new_credentials") or None,
                is_active=data["is_active"],
            )
        else:
            created = services.channel_create(
                board=data["board"],
                actor=request.user,
                kind=data["kind"],
                name=data["name"],
                settings=data.get("settings") or {},
                credentials=data.get("new_credentials") or {},
                is_active=data["is_active"],
            )
            obj.pk = created.pk


class AttemptInline(admin.TabularInline):
    model = PublicationAttempt
    extra = 0
    can_delete = False
    fields = readonly_fields = ("number", "outcome", "status_code", "message", "started_at", "finished_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """The publication log. Read-only: retries go through the draft's retry transition."""

    list_display = ("draft", "channel", "state", "due_at", "attempts", "published_at", "last_error")
    list_filter = ("state", "channel__kind", "channel__board")
    list_select_related = ("draft", "channel")
    search_fields = ("draft__title", "channel__name")
    inlines = [AttemptInline]
    actions = ["retry_selected"]

    @admin.action(description="Retry the selected failed publications")
    def retry_selected(self, request, queryset):
        retried, drafts_done = 0, set()
        for publication in queryset.select_related("draft"):
            if publication.draft_id in drafts_done:
                continue  # one retry sends all of a draft's failed channels
            drafts_done.add(publication.draft_id)
            try:
                services.publication_retry(publication_id=publication.pk, actor=request.user)
                retried += 1
            except (Conflict, PermissionDenied, ValidationError, Http404) as problem:
                self.message_user(request, f"{publication.draft}: {problem}", messages.WARNING)
        self.message_user(request, f"Retried the failed channels of {retried} draft(s).")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
