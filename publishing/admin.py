from django import forms
from django.contrib import admin

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

    def save(self, commit=True):
        channel = super().save(commit=False)
        if self.cleaned_data.get("new_credentials"):
            channel.credentials = self.cleaned_data["new_credentials"]
        if commit:
            channel.save()
        return channel


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    form = ChannelForm
    list_display = ("name", "board", "kind", "is_active")
    list_filter = ("kind", "board", "is_active")


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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
