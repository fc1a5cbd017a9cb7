"""The one safe way to read an uploaded Excel (.xlsx) file.

An .xlsx is a zip of XML parts. Before openpyxl parses anything, ``rows()`` checks what the
file *claims* (the zip's central directory, which also bounds what decompression can produce):

- the file's size, the number of parts, their total uncompressed size and each large part's
  compression ratio (a 1.5 MB "sharedStrings bomb" expands a thousandfold);
- no part declares a DTD (entity expansion);
- every worksheet's rows and columns, by streaming its XML for cell references only (a sparse
  sheet with one cell at XFD1048576 would make openpyxl pad a million rows of 16,384 cells).

Then the rows of the first sheet are read with explicit bounds. A refused file raises
``SpreadsheetRefused`` (an ``InvalidInput``) with a message for the person.
"""

import io
import re
import zipfile
from xml.etree.ElementTree import iterparse

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from qingdan.lib.errors import InvalidInput

MAX_PARTS = 2_000
MAX_RATIO = 100  # uncompressed / compressed, for parts over RATIO_FROM bytes
RATIO_FROM = 1024 * 1024
DEFAULT_MAX_COLUMNS = 100
_REFERENCE = re.compile(r"([A-Z]{1,3})?([0-9]+)?")
_SHEET = re.compile(r"xl/worksheets/[^/]+\.xml")


class SpreadsheetRefused(InvalidInput):
    code = "spreadsheet_refused"


def limits() -> dict:
    return {
        "bytes": settings.QINGDAN["IMPORT_MAX_BYTES"],
        "uncompressed": settings.QINGDAN["IMPORT_MAX_UNCOMPRESSED_BYTES"],
    }


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _not_xlsx() -> SpreadsheetRefused:
    return SpreadsheetRefused(_("This is not an Excel (.xlsx) file."))


def check(data: bytes, *, max_rows: int, max_columns: int = DEFAULT_MAX_COLUMNS) -> None:
    """Raise ``SpreadsheetRefused`` unless the file is within every bound. Parses no cell."""
    bound = limits()
    if len(data) > bound["bytes"]:
        raise SpreadsheetRefused(
            _("The file is %(size)s; the largest spreadsheet accepted is %(limit)s.")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(bound["bytes"])}
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _not_xlsx() from None
    names = {part.filename for part in parts}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise _not_xlsx()
    too_big = SpreadsheetRefused(
        _(
            "The spreadsheet expands to far more data than its size suggests and was not "
            "opened. Save it again from Excel or WPS as a plain .xlsx file."
        )
    )
    if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > bound["uncompressed"]:
        raise too_big
    for part in parts:
        if part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise too_big
    with archive:
        for part in parts:
            if part.filename.endswith((".xml", ".rels")):
                with archive.open(part) as stream:
                    head = stream.read(2048)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise _not_xlsx()
        for part in parts:
            if _SHEET.fullmatch(part.filename):
                _check_sheet(archive, part, max_rows=max_rows, max_columns=max_columns)


def _check_sheet(archive, part, *, max_rows: int, max_columns: int) -> None:
    """Stream one worksheet's XML, looking only at row numbers and cell references."""
    last_row = 0
    try:
        with archive.open(part) as stream:
            for _event, element in iterparse(stream, events=("end",)):
                tag = element.tag.rsplit("}", 1)[-1]
                if tag == "c":
                    letters, digits = _REFERENCE.fullmatch(element.get("r") or "").groups()
                    if letters and column_number(letters) > max_columns:
                        raise _outside(max_rows, max_columns, element.get("r"))
                    if digits and int(digits) > max_rows:
                        raise _outside(max_rows, max_columns, element.get("r"))
                elif tag == "row":
                    row = element.get("r")
                    last_row = int(row) if row and row.isdigit() else last_row + 1
                    if last_row > max_rows:
                        raise _outside(max_rows, max_columns, f"{last_row}")
                    element.clear()
    except SpreadsheetRefused:
        raise
    except Exception:  # malformed XML, a reference that is not one
        raise _not_xlsx() from None


def _outside(max_rows: int, max_columns: int, where: str) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _(
            "The spreadsheet has content at %(where)s, beyond what an import may hold "
            "(%(rows)s rows, %(columns)s columns). Delete the cells outside the table and "
            "save again."
        )
        % {"where": where, "rows": max_rows, "columns": max_columns}
    )


def rows(
    data: bytes, *, width: int, max_rows: int, max_columns: int = DEFAULT_MAX_COLUMNS
) -> list[tuple]:
    """Check the file (``check``), then read the first sheet's rows as tuples of ``width``
    values (at most ``max_rows`` rows). Raises ``SpreadsheetRefused`` for a refused file."""
    check(data, max_rows=max_rows, max_columns=max_columns)
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise _not_xlsx() from None
    try:
        sheet = book.worksheets[0]
        return list(sheet.iter_rows(max_row=max_rows, max_col=width, values_only=True))
    except Exception:
        raise _not_xlsx() from None
    finally:
        book.close()
