from django import forms


class AcceptForm(forms.Form):
    signature = forms.CharField(
        max_length=200, label="Your full name", help_text="Typing your full name is your signature."
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
