from django import forms

from contributors.roles import Role


class InvitationForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField(choices=Role.choices, initial=Role.CONTRIBUTOR)
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)


class SignupForm(forms.Form):
    name = forms.CharField(max_length=150)
    password = forms.CharField(widget=forms.PasswordInput, strip=False)
