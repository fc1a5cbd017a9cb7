from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qingdan.core.forms import BoundedForm
from qingdan.lib.bounds import MAX_COMPARED_CHARS
from qingdan.problems.models import Category
from qingdan.search import tokens

MAX_TITLE = 120


class SimilarForm(BoundedForm):
    title = forms.CharField(required=False, max_length=MAX_TITLE, strip=True)
    description = forms.CharField(required=False, strip=True)
    category = forms.ModelChoiceField(queryset=Category.objects.all(), required=False)
    enterprise = forms.CharField(required=False, max_length=200)

    def clean_description(self):
        return self.cleaned_data["description"][:MAX_COMPARED_CHARS]


class TermForm(BoundedForm):
    word = forms.CharField(
        label=_("Word"),
        max_length=20,
        help_text=_(
            "A term of the park that must stay whole, e.g. a loan product or a kind of building."
        ),
    )

    def clean_word(self):
        word = tokens.normalize(self.cleaned_data["word"]).strip()
        if len(word) < 2 or tokens.pieces(word) != [word]:
            raise ValidationError(
                _("Two or more Chinese characters, or letters and digits, without spaces.")
            )
        return word
