from django import forms
from django.utils.translation import gettext_lazy as _

from qingdan.core.forms import BoundedForm, DateInput
from qingdan.exchange.importing import COLUMNS
from qingdan.problems.models import Category


class ExchangeDayForm(BoundedForm):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    date_reason = forms.CharField(
        label=_("Reason, if not a Monday"), required=False, max_length=200
    )
    chair = forms.CharField(label=_("Chair"), max_length=60)
    leaders = forms.CharField(label=_("Attending leaders"), required=False, max_length=300)
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Problem list (.xlsx)"))


BATCH_ROWS = 10


def batch_rows(data) -> list[dict]:
    """The rows of the quick-entry table that have anything typed in them."""
    rows = []
    for index in range(BATCH_ROWS):
        row = {key: (data.get(f"{key}-{index}") or "").strip() for key, _heading in COLUMNS}
        if any(row[key] for key in ("enterprise", "title", "description")):
            rows.append(row)
    return rows


def categories():
    return Category.objects.filter(is_active=True)
