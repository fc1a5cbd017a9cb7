"""Input bounds, defined once: every channel (web forms, REST API, Open311, Excel imports,
commands) checks its inputs against these, so a value one channel accepts is never refused or
mangled by another, and no input reaches the database outside its columns' range."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

# Row ids are 64-bit (BigAutoField): a larger number can name no row, and SQLite raises
# OverflowError on it instead of finding nothing.
MAX_ID = 2**63 - 1

TITLE = 120  # a problem's or a challenge's title (the columns' max_length)
NAME = 200  # an enterprise's or a file's name, one line of text
CODE = 40  # a category code, a number like QD-2026-000123, a credit code
TEXT = 5000  # a description, a note, a reason, a report
CURSOR = 200  # an API page cursor

# Dates people type or send: wide enough for any real record, narrow enough that no database
# or date arithmetic ever overflows (year 1, year 9999).
FIRST_DATE = date(2000, 1, 1)
LAST_DATE = date(2099, 12, 31)

# Money and indicator values: DecimalField(max_digits=18, decimal_places=4) holds them all.
DECIMAL_DIGITS = 18
DECIMAL_PLACES = 4
MAX_DECIMAL = Decimal(10) ** (DECIMAL_DIGITS - DECIMAL_PLACES) - 1


def row_id(text) -> int | None:
    """A row id typed in a URL or a form: ASCII digits within the id range, else None
    ("²".isdigit() is true in Python, and 10**23 overflows SQLite)."""
    text = str(text or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def query_text(value, max_length: int = NAME) -> str:
    """Text typed into a search or filter box: control characters (NUL above all, which
    PostgreSQL refuses in any text) dropped, cut to a sensible length. Filters never fail."""
    text = "".join(ch for ch in str(value or "") if ch >= " " or ch == "\t").strip()
    return text[:max_length]


def clean_text(value, *, max_length: int = TEXT, required: bool = True, one_line=False) -> str:
    """Text as stored: stripped; refused (ValueError with a message for the person) when
    empty but required, too long, or holding a NUL or, for one-line text, a line break."""
    text = "" if value is None else str(value).strip()
    if "\x00" in text:
        raise ValueError(_("Null characters are not allowed."))
    if one_line and ("\n" in text or "\r" in text):
        raise ValueError(_("Write it on one line."))
    if required and not text:
        raise ValueError(_("Required."))
    if len(text) > max_length:
        raise ValueError(
            _("At most %(limit)s characters (this has %(length)s).")
            % {"limit": max_length, "length": len(text)}
        )
    return text


def clean_decimal(value, *, places: int = DECIMAL_PLACES, minimum=None) -> Decimal:
    """A finite decimal within the columns' range (never inf or NaN, never 1e999999)."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValueError(_("Enter a number.")) from None
    if not number.is_finite():
        raise ValueError(_("Enter a finite number."))
    if abs(number) > MAX_DECIMAL:
        raise ValueError(_("The number is too large."))
    if minimum is not None and number < minimum:
        raise ValueError(_("At least %(minimum)s.") % {"minimum": minimum})
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise ValueError(_("At most %(places)s decimal places.") % {"places": places})
    return number


def clean_date(value: date) -> date:
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ValueError(
            _("Give a date between %(first)s and %(last)s.")
            % {"first": FIRST_DATE.isoformat(), "last": LAST_DATE.isoformat()}
        )
    return value


# What a person may type into a search box (longer input is cut to this on the web; the API
# refuses it): enough for several words, a credit code and a problem number.
MAX_SEARCH_CHARS = 100
# A text compared with others (similar problems, routing suggestions): a title and the first part
# of a description, which is where a problem is said.
MAX_COMPARED_CHARS = 2000
