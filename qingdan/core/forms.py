"""Form building blocks every app shares: the shared input bounds applied to every field."""

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe

from qingdan.lib import bounds


def _in_range(value) -> None:
    try:
        bounds.clean_date(value)
    except ValueError as refused:
        raise ValidationError(str(refused)) from None


class DateInput(forms.DateInput):
    """A browser date picker, pre-filled in ISO form (the only form browsers accept)."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class QuickSelect(forms.Select):
    """A select of many plain options (a province's 2,000 units) written in one pass: Django
    renders each option through a template, which took ~100 ms a page at that size. Same HTML,
    every value and label escaped; option groups are not supported."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(item) for item in self.format_value(value)}
        options = "\n".join(
            f'<option value="{escape(key)}"{" selected" if key in chosen else ""}>'
            f"{escape(label)}</option>"
            for key, label in ((str(v), lab) for v, lab in self.choices)
        )
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{escape(name)}"{attributes}>\n{options}\n</select>')


def show_refusal(form: forms.Form, refused) -> None:
    """An action's refusal (``lib.errors.ActionError``) on the form that asked for it: on the
    fields it names, else above the form."""
    for name, errors in (getattr(refused, "fields", None) or {}).items():
        if name in form.fields:
            form.add_error(name, " ".join(str(e) for e in errors))
    if not form.errors:
        form.add_error(None, refused.message)


class BoundedForm(forms.Form):
    """Every field within the shared bounds (``qingdan.lib.bounds``) unless it sets narrower
    ones: text at most ``bounds.TEXT`` characters, dates between ``FIRST_DATE`` and
    ``LAST_DATE``, integers within the id range. (NUL characters are refused by Django's own
    CharField.) The web page and the API run the same form, so both keep the same bounds."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            bound_field(field)


def bound_field(field: forms.Field) -> None:
    if isinstance(field, forms.CharField) and field.max_length is None:
        field.max_length = bounds.TEXT
        field.validators.append(validators.MaxLengthValidator(bounds.TEXT))
        field.widget.attrs.setdefault("maxlength", str(bounds.TEXT))
    elif isinstance(field, forms.DateField) and _in_range not in field.validators:
        field.validators.append(_in_range)
    elif isinstance(field, forms.IntegerField):
        if field.max_value is None:
            field.max_value = bounds.MAX_ID
            field.validators.append(validators.MaxValueValidator(bounds.MAX_ID))
        if field.min_value is None:
            field.min_value = -bounds.MAX_ID
            field.validators.append(validators.MinValueValidator(-bounds.MAX_ID))
