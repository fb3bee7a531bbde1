"""Admin screens: agreements with their requirements and versions; acceptances read-only, forever."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from cocreate import limits
from contributors.agreements import selectors, services
from contributors.agreements.models import Acceptance, Agreement, AgreementRequirement, AgreementVersion


class RequirementInline(admin.TabularInline):
    model = AgreementRequirement
    extra = 1
    fields = ("board", "role")


class VersionInline(admin.TabularInline):
    """Versions are published on their own screen (hashed, numbered); here they are listed only."""

    model = AgreementVersion
    extra = 0
    can_delete = False
    fields = ("number", "effective_on", "sha256", "pdf", "created_by", "created_at")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ("title", "current_version", "ends_on", "acceptances_link")
    search_fields = ("title",)
    fields = ("title", "ends_on")
    inlines = [RequirementInline, VersionInline]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.agreement_update(agreement=obj, title=data["title"], ends_on=data["ends_on"], actor=request.user)
        else:
            created = services.agreement_create(title=data["title"], ends_on=data["ends_on"], actor=request.user)
            obj.pk, obj.created_at = created.pk, created.created_at
            obj._state.adding = False

    @admin.display(description="Version in force")
    def current_version(self, obj):
        version = selectors.current_versions([obj.pk]).get(obj.pk)
        return version.number if version else "-"

    @admin.display(description="Acceptances")
    def acceptances_link(self, obj):
        return format_html(
            '<a href="{}">who accepted</a> · <a href="{}">CSV</a>',
            reverse("agreement-acceptances", args=[obj.pk]),
            reverse("agreement-acceptances-csv", args=[obj.pk]),
        )


class VersionForm(forms.ModelForm):
    class Meta:
        model = AgreementVersion
        fields = ("agreement", "body", "pdf", "effective_on")

    def clean(self):
        data = super().clean()
        body, pdf = (data.get("body") or "").strip(), data.get("pdf")
        limits.require_within({"body": (body, limits.AGREEMENT_BODY_MAX_CHARS)})
        if bool(body) == bool(pdf):
            raise ValidationError("Give the agreement either as Markdown text or as an uploaded PDF (one of the two).")
        if pdf:
            services.pdf_digest(pdf)
        return data


@admin.register(AgreementVersion)
class AgreementVersionAdmin(admin.ModelAdmin):
    """Publishing a version goes through the service: numbered, hashed, and never edited afterwards."""

    form = VersionForm
    list_display = ("agreement", "number", "effective_on", "sha256", "created_by", "created_at")
    list_filter = ("agreement",)

    def get_readonly_fields(self, request, obj=None):
        return ("agreement", "number", "body", "pdf", "effective_on", "sha256", "created_by") if obj else ()

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        version = services.agreement_version_publish(
            agreement=form.cleaned_data["agreement"],
            effective_on=form.cleaned_data["effective_on"],
            body=form.cleaned_data.get("body") or "",
            pdf=form.cleaned_data.get("pdf") or None,
            actor=request.user,
        )
        obj.pk = version.pk


@admin.register(Acceptance)
class AcceptanceAdmin(admin.ModelAdmin):
    """Evidence of who signed what: nobody adds, edits or deletes one here."""

    list_display = ("accepted_at", "agreement", "version_number", "user", "signature", "ip_address")
    list_filter = ("agreement",)
    search_fields = ("user__username", "signature")
    readonly_fields = [f.name for f in Acceptance._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
