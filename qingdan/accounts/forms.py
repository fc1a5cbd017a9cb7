from django import forms

from qingdan.accounts.models import User


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "email", "phone", "language", "email_notifications"]
