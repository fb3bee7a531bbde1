"""Admin for profiles and the boards' portfolio setting; saves go through the same services as the pages."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from contributors.profiles import services
from contributors.profiles.avatars import avatar_clean
from contributors.profiles.models import BoardPortfolioPolicy, Profile


class ProfileAdminForm(forms.ModelForm):
    """The service's own checks, run as form validation so the admin shows them next to the fields."""

    class Meta:
        model = Profile
        fields = ("user", "bio", "links", "avatar", "portfolio_public")

    def clean_links(self):
        try:
            return services.links_clean(self.cleaned_data["links"] or [])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["links"]) from None

    def clean_avatar(self):
        avatar = self.cleaned_data["avatar"]
        if avatar and "avatar" in self.changed_data:
            try:
                avatar_clean(avatar)
            except ValidationError as exc:
                raise ValidationError(exc.message_dict["avatar"]) from None
        return avatar


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    form = ProfileAdminForm
    list_display = ("user", "portfolio_public", "updated_at")
    list_filter = ("portfolio_public",)
    search_fields = ("user__username", "user__display_name")
    fields = ("user", "bio", "links", "avatar", "portfolio_public")
    autocomplete_fields = ("user",)

    def get_readonly_fields(self, request, obj=None):
        return ("user",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        changes = {name: form.cleaned_data[name] for name in ("bio", "links", "portfolio_public")}
        if "avatar" in form.changed_data:
            # A new upload, or the "clear" box (False): both go through the service's validation.
            changes["avatar"] = form.cleaned_data["avatar"] or None
        profile = services.profile_update(user=obj.user, actor=request.user, **changes)
        obj.pk = profile.pk


@admin.register(BoardPortfolioPolicy)
class BoardPortfolioPolicyAdmin(admin.ModelAdmin):
    list_display = ("board", "allow_portfolios", "updated_by", "updated_at")
    list_filter = ("allow_portfolios",)
    fields = ("board", "allow_portfolios")
    autocomplete_fields = ("board",)

    def get_readonly_fields(self, request, obj=None):
        return ("board",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        policy = services.board_portfolio_policy_set(
            board=obj.board, actor=request.user, allow_portfolios=form.cleaned_data["allow_portfolios"]
        )
        obj.pk = policy.pk
