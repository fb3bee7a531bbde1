from django import forms

from contributors.profiles.services import MAX_BIO_LENGTH, MAX_DISPLAY_NAME_LENGTH, MAX_LINKS


class ProfileForm(forms.Form):
    """Parses the profile page's input; contributors.profiles.services.profile_update validates and saves it."""

    display_name = forms.CharField(max_length=MAX_DISPLAY_NAME_LENGTH, required=False)
    bio = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=MAX_BIO_LENGTH, required=False)
    links = forms.CharField(
        widget=forms.Textarea(attrs={"rows": MAX_LINKS}),
        required=False,
        help_text=f"One web address per line (http or https), at most {MAX_LINKS}.",
    )
    avatar = forms.FileField(required=False, help_text="A PNG, JPEG, GIF or WebP picture.")
    remove_avatar = forms.BooleanField(required=False, label="Remove my picture")
    portfolio_public = forms.BooleanField(
        required=False, label="Show my published pieces on a public portfolio page (anyone can see it)"
    )

    @classmethod
    def for_profile(cls, profile, data=None, files=None) -> "ProfileForm":
        initial = {
            "display_name": profile.user.display_name,
            "bio": profile.bio,
            "links": "\n".join(profile.links),
            "portfolio_public": profile.portfolio_public,
        }
        return cls(data, files, initial=initial)

    def changes(self) -> dict:
        """Keyword arguments for profile_update."""
        data = self.cleaned_data
        changes = {
            "display_name": data["display_name"],
            "bio": data["bio"],
            "links": data["links"].splitlines(),
            "portfolio_public": data["portfolio_public"],
        }
        if data["avatar"]:
            changes["avatar"] = data["avatar"]
        elif data["remove_avatar"]:
            changes["avatar"] = None
        return changes


class PortfolioPolicyForm(forms.Form):
    allow_portfolios = forms.BooleanField(
        required=False, label="Contributors may show this board's published pieces on their public portfolio"
    )
