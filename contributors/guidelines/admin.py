"""Admin screens for guidelines and rules. Every save goes through the services, so it is versioned."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from cocreate import limits
from contributors.guidelines import services
from contributors.guidelines.checks import RULE_KINDS, rule_from
from contributors.guidelines.models import Guideline, GuidelineRule, GuidelineVersion


class GuidelineVersionInline(admin.TabularInline):
    model = GuidelineVersion
    extra = 0
    can_delete = False
    fields = ("number", "created_at", "author", "change")
    readonly_fields = fields
    ordering = ["-number"]

    def has_add_permission(self, request, obj=None):
        return False


class GuidelineRuleInline(admin.TabularInline):
    model = GuidelineRule
    extra = 0
    can_delete = False
    fields = ("kind", "severity", "params")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class GuidelineAdminForm(forms.ModelForm):
    class Meta:
        model = Guideline
        fields = ("board", "brand", "tone")

    def clean(self):
        data = super().clean()
        # The service's limits, shown at the fields before save_model (which cannot refuse with a form error).
        limits.require_within({name: (data.get(name), limits.GUIDELINE_TEXT_MAX_CHARS) for name in ("brand", "tone")})
        return data


@admin.register(Guideline)
class GuidelineAdmin(admin.ModelAdmin):
    form = GuidelineAdminForm
    list_display = ("board", "version", "updated_at")
    fields = ("board", "brand", "tone", "version")
    readonly_fields = ("version",)
    inlines = [GuidelineRuleInline, GuidelineVersionInline]

    def get_readonly_fields(self, request, obj=None):
        return ("board", "version") if obj else ("version",)

    def save_model(self, request, obj, form, change):
        saved = services.guideline_update(board=obj.board, actor=request.user, brand=obj.brand, tone=obj.tone)
        obj.pk, obj.version = saved.pk, saved.version


class RuleAdminForm(forms.ModelForm):
    kind = forms.ChoiceField(choices=[(kind, cls.label) for kind, cls in RULE_KINDS.items()])

    class Meta:
        model = GuidelineRule
        fields = ("guideline", "kind", "severity", "params")
        help_texts = {"params": "JSON. " + " · ".join(f"{c.label}: {c.help}" for c in RULE_KINDS.values())}

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("severity") and isinstance(data.get("params"), dict):
            try:
                rule_from(kind=data["kind"], severity=data["severity"], params=data["params"])
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    raise forms.ValidationError(
                        [f"{k}: {m}" for k, ms in exc.message_dict.items() for m in ms]
                    ) from exc
                raise forms.ValidationError(exc.messages) from exc
        return data


@admin.register(GuidelineRule)
class GuidelineRuleAdmin(admin.ModelAdmin):
    form = RuleAdminForm
    list_display = ("guideline", "kind", "severity", "params")
    list_filter = ("kind", "severity")

    def get_readonly_fields(self, request, obj=None):
        return ("guideline", "kind") if obj else ()

    def save_model(self, request, obj, form, change):
        board = obj.guideline.board
        if change:
            services.guideline_rule_update(
                board=board, actor=request.user, rule_id=obj.pk, severity=obj.severity, params=obj.params
            )
        else:
            created = services.guideline_rule_create(
                board=board, actor=request.user, kind=obj.kind, severity=obj.severity, params=obj.params
            )
            obj.pk = created.pk

    def delete_model(self, request, obj):
        services.guideline_rule_delete(board=obj.guideline.board, actor=request.user, rule_id=obj.pk)

    def delete_queryset(self, request, queryset):
        for rule in queryset.select_related("guideline__board"):
            self.delete_model(request, rule)
        messages.info(request, "Each removal is a new guidelines version.")


@admin.register(GuidelineVersion)
class GuidelineVersionAdmin(admin.ModelAdmin):
    list_display = ("guideline", "number", "created_at", "author", "change")
    list_filter = ("guideline",)
    readonly_fields = ("guideline", "number", "brand", "tone", "rules", "change", "author", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
