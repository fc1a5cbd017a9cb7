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


def typed_rows(data) -> list[dict]:
    """Every row of the quick-entry table as typed (empty rows too), to show it again."""
    return [
        {key: (data.get(f"{key}-{index}") or "").strip()[:5000] for key, _heading in COLUMNS}
        for index in range(BATCH_ROWS)
    ]


def rows_with_errors(data, errors) -> list[dict]:
    """The typed rows, each with its bad cells' messages ({column key: message}): the page
    shows them again where they were typed, marked (``errors`` number the submitted rows)."""
    typed = typed_rows(data)
    submitted = [
        i
        for i, row in enumerate(typed)
        if any(row[key] for key in ("enterprise", "title", "description"))
    ]
    keys = {heading: key for key, heading in COLUMNS}
    for row in typed:
        row["errors"] = {}
    unplaced = []
    for error in errors:
        key = keys.get(error.column, "")
        if 1 <= error.row <= len(submitted) and key:
            cells = typed[submitted[error.row - 1]]["errors"]
            message = f"{error.column}：{error.message}"
            cells[key] = f"{cells[key]} {message}" if key in cells else message
        else:
            unplaced.append(error.message)
    return typed, unplaced
