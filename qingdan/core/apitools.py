"""What every app's REST router shares (django-ninja).

- One error body, ``{"error": {"code", "message", "fields"}}``, for every refusal: the handlers in
  ``qingdan/api/v1.py`` render any ``ActionError`` (its ``code`` and ``status``) this way.
- ``run_form()``: an API endpoint takes the SAME input definition as the web page (the action's
  Django form: fields, bounds, lookups) and hands its cleaned values to the same action.
- ``schema_for()``: the OpenAPI body of such an endpoint, generated from that form, so the
  documented fields and bounds are the form's and never drift from it.
- Keyset page cursors as opaque URL-safe strings.
"""

import base64
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django import forms
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ConfigDict, create_model

from qingdan.lib import bounds
from qingdan.lib.errors import InvalidInput


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    error: ErrorBody


ERRORS = {status: ErrorOut for status in (400, 401, 403, 404, 409, 413, 422, 429, 503)}


class OpenSchema(Schema):
    """A body that may carry fields beyond the documented ones (a form with fields made per
    object, e.g. one score per review criterion)."""

    model_config = ConfigDict(extra="allow")


class FormInvalid(InvalidInput):
    """Some fields are invalid: 422 with each field's messages."""

    code = "invalid"
    status = 422

    def __init__(self, fields: dict):
        super().__init__(_("Some fields are invalid."), fields=fields)


def form_value(value):
    """JSON values as a form's ``data`` would hold them."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list):
        return [form_value(item) for item in value]
    return "" if value is None else str(value)


def run_form(form_class, payload: dict, **kwargs) -> forms.Form:
    """The action's input form, bound to the request's JSON body; valid, or ``FormInvalid``."""
    data = {key: form_value(value) for key, value in payload.items()}
    form = form_class(data=data, **kwargs)
    if not form.is_valid():
        raise FormInvalid({name: [str(m) for m in errors] for name, errors in form.errors.items()})
    return form


def _choice_values(field) -> list:
    return [str(value) for value, _label in field.choices if value != ""]


def _annotation(field: forms.Field):
    """The JSON type of a form field, with the field's own bounds."""
    constraints: dict[str, Any] = {}
    if isinstance(field, forms.ModelMultipleChoiceField):  # each id within the id range
        return list[Annotated[int, Field(ge=1, le=bounds.MAX_ID)]], constraints
    if isinstance(field, forms.ModelChoiceField):
        if field.to_field_name:
            return str, {"max_length": bounds.CODE * 2}
        return int, {"ge": 1, "le": bounds.MAX_ID}
    if isinstance(field, forms.TypedChoiceField) and set(_choice_values(field)) == {"0", "1"}:
        return bool, constraints
    if isinstance(field, forms.ChoiceField):
        values = _choice_values(field)
        return (Literal[tuple(values)] if values else str), constraints
    if isinstance(field, forms.BooleanField):
        return bool, constraints
    if isinstance(field, forms.DecimalField):  # (a subclass of IntegerField)
        return Decimal, {"max_digits": field.max_digits or bounds.DECIMAL_DIGITS}
    if isinstance(field, forms.IntegerField):
        low = field.min_value if field.min_value is not None else -bounds.MAX_ID
        high = field.max_value if field.max_value is not None else bounds.MAX_ID
        return int, {"ge": low, "le": high}
    if isinstance(field, forms.DateField):
        return date, constraints
    if isinstance(field, forms.CharField):
        return str, {"max_length": field.max_length or bounds.TEXT}
    return str, constraints


def schema_for(form_class, name: str, *, extra: bool = False, **form_kwargs) -> type[Schema]:
    """A ninja Schema documenting ``form_class``'s fields (file fields excluded: files go
    through the multipart attachment endpoints). Optional fields may be left out; ``extra``
    lets fields made per object through to the form."""
    form = form_class(**form_kwargs)
    fields = {}
    for field_name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        annotation, constraints = _annotation(field)
        description = str(field.label or "")
        if field.help_text:
            description = f"{description}: {field.help_text}"
        if field.required and field_name != "version":
            fields[field_name] = (
                annotation,
                Field(..., description=description, **constraints),
            )
        else:
            fields[field_name] = (
                annotation | None,
                Field(None, description=description, **constraints),
            )
    return create_model(name, __base__=OpenSchema if extra else Schema, **fields)


def payload_dict(payload: Schema) -> dict:
    """The fields the caller sent (left-out optional fields stay out, as on a web form)."""
    return payload.model_dump(exclude_unset=True)


# The messages of the schema's own checks, in the caller's language (pydantic writes English).
VALIDATION_MESSAGES = {
    "missing": lambda ctx: _("Required."),
    "string_too_long": lambda ctx: (
        _("At most %(limit)s characters.") % {"limit": ctx.get("max_length")}
    ),
    "string_too_short": lambda ctx: _("Required."),
    "too_long": lambda ctx: _("At most %(limit)s items.") % {"limit": ctx.get("max_length")},
    "too_short": lambda ctx: _("At least %(limit)s items.") % {"limit": ctx.get("min_length")},
    "int_parsing": lambda ctx: _("Enter a whole number."),
    "int_type": lambda ctx: _("Enter a whole number."),
    "decimal_parsing": lambda ctx: _("Enter a number."),
    "decimal_type": lambda ctx: _("Enter a number."),
    "decimal_max_digits": lambda ctx: _("The number is too large."),
    "finite_number": lambda ctx: _("Enter a finite number."),
    "bool_parsing": lambda ctx: _("Enter true or false."),
    "bool_type": lambda ctx: _("Enter true or false."),
    "date_from_datetime_parsing": lambda ctx: _("Enter a date (YYYY-MM-DD)."),
    "date_parsing": lambda ctx: _("Enter a date (YYYY-MM-DD)."),
    "date_type": lambda ctx: _("Enter a date (YYYY-MM-DD)."),
    "datetime_parsing": lambda ctx: _("Enter a date and time."),
    "string_type": lambda ctx: _("Enter text."),
    "list_type": lambda ctx: _("Enter a list."),
    "literal_error": lambda ctx: (
        _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    ),
    "enum": lambda ctx: _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")},
    "less_than_equal": lambda ctx: _("At most %(limit)s.") % {"limit": ctx.get("le")},
    "greater_than_equal": lambda ctx: _("At least %(minimum)s.") % {"minimum": ctx.get("ge")},
    "model_attributes_type": lambda ctx: _("Send a JSON object."),
    "json_invalid": lambda ctx: _("The body is not valid JSON."),
}


def validation_message(item: dict) -> str:
    """One schema error, said in the caller's language."""
    say = VALIDATION_MESSAGES.get(item.get("type", ""))
    return str(say(item.get("ctx") or {})) if say else item.get("msg", "")


# --- Page cursors ---------------------------------------------------------------------------


def encode_cursor(cursor: str) -> str | None:
    return base64.urlsafe_b64encode(cursor.encode()).decode().rstrip("=") or None


def decode_cursor(cursor: str | None) -> str:
    """A cursor this API gave out, or ``InvalidInput``."""
    if not cursor:
        return ""
    try:
        padded = cursor.encode() + b"=" * (-len(cursor) % 4)
        text = base64.b64decode(padded, altchars=b"-_", validate=True).decode()
        value, pk = text.rsplit("_", 1)
        moment = datetime.fromisoformat(value)
        bounds.clean_date(moment.date())
        if not 0 < int(pk) <= bounds.MAX_ID:
            raise ValueError
    except ValueError:  # also binascii.Error and UnicodeDecodeError
        raise InvalidInput(
            _("The cursor is not one this API gave out."), fields={"cursor": [_("Invalid.")]}
        ) from None
    return text
