"""Encode text for where it lands. Every writer of people's text outside an HTML page (which
Django's templates escape) goes through one of these:

- ``header()``: one line for an e-mail subject or any header (no CR/LF, no control characters);
- ``markdown()``: inert text inside a WeCom/DingTalk markdown message (no links, no formatting,
  no new lines that start a quote or a heading);
- ``set_cell()`` / ``append_row()``: a spreadsheet cell that is never a formula, whatever the
  text starts with (= + - @ tab CR LF: "CSV/formula injection");
- ``csv_cell()``: the same for a CSV field.
"""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_SPACES = re.compile(r"\s+")
# Markdown that the two robots render, replaced by full-width look-alikes that read the same in
# Chinese text but mean nothing to the renderer.
_MARKDOWN = str.maketrans(
    {
        "[": "［",
        "]": "］",
        "(": "（",
        ")": "）",
        "<": "＜",
        ">": "＞",
        "*": "＊",
        "_": "＿",
        "`": "｀",
        "#": "＃",
        "!": "！",
        "|": "｜",
        "~": "～",
        "\\": "＼",
    }
)
_SCHEME = re.compile(r"(?i)\b([a-z][a-z0-9+.-]{1,15}):(//)")


def header(text, limit: int = 180) -> str:
    """One line: control characters and line breaks become spaces, runs of space collapse."""
    flat = _SPACES.sub(" ", _CONTROL.sub(" ", str(text or ""))).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def markdown(text, limit: int | None = None) -> str:
    """Text shown as itself inside a robot's markdown: one line, no markup, no live links."""
    flat = header(text, limit or 10_000).translate(_MARKDOWN)
    return _SCHEME.sub(r"\1：\2", flat)


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def set_cell(cell, value) -> None:
    """Write ``value`` into an openpyxl cell; text is stored as text, never as a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True  # Excel and WPS show it as typed and never evaluate it


def append_row(sheet, values) -> None:
    """``sheet.append(values)`` with every cell written by ``set_cell``."""
    sheet.append([None] * len(values))
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        set_cell(sheet.cell(row=row, column=column), value)


def csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if is_formula_like(text) else text
