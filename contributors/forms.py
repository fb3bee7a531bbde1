from django import forms

from contributors.roles import Role


class MemberForm(forms.Form):
    username = forms.CharField(max_length=150)
    role = forms.ChoiceField(choices=[*Role.choices, ("", "No role (remove)")], required=False)
