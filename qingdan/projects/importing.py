"""Indicators in Excel: export, and an all-or-nothing import (every row checked first)."""

import io
from decimal import Decimal

from django.utils.translation import gettext as _

from qingdan.core.imports import RowError
from qingdan.lib import bounds, encode, xlsx
from qingdan.projects import actions
from qingdan.projects.models import Indicator

COLUMNS = [
    ("indicator", "指标代码"),
    ("year", "年份"),
    ("month", "截至月份"),
    ("value", "累计值"),
    ("prior", "上年同期值"),
]
MAX_ROWS = 50_000  # 40 indicators × 12 months × 100 years


def export_xlsx(values) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "经济运行指标"
    sheet.append([heading for _key, heading in COLUMNS] + ["指标名称", "单位", "同比增长(%)"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for v in values.select_related("indicator").order_by("indicator__position", "year", "month"):
        growth = v.growth
        encode.append_row(
            sheet,
            [
                v.indicator.code,
                v.year,
                v.month,
                v.value,
                v.prior_year_value,
                v.indicator.name,
                v.indicator.unit,
                None if growth is None else growth,
            ],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _decimal(text) -> Decimal | None:
    """A value as the indicators keep them: finite, within the columns (never inf, 1e999999)."""
    if text in (None, ""):
        return None
    return bounds.clean_decimal(str(text).replace(",", "").strip(), places=4)


def import_xlsx(data: bytes, *, actor) -> tuple[int, list[RowError]]:
    """(rows imported, errors). One error: nothing is imported."""
    try:  # size, parts, expansion, rows and columns checked before any cell is parsed
        rows = iter(xlsx.rows(data, width=len(COLUMNS), max_rows=MAX_ROWS + 1))
    except xlsx.SpreadsheetRefused as refused:
        return 0, [RowError(0, "", refused.message)]
    header = [str(c or "").strip() for c in next(rows, ())][: len(COLUMNS)]
    if header != [heading for _key, heading in COLUMNS]:
        return 0, [
            RowError(
                1,
                "",
                _("The first row must be the template's headings: %(h)s.")
                % {"h": "、".join(h for _k, h in COLUMNS)},
            )
        ]
    indicators = {i.code: i for i in Indicator.objects.all()}
    clean, errors = [], []
    for number, values in enumerate(rows, start=2):
        if not values or all(v in (None, "") for v in values[: len(COLUMNS)]):
            continue
        code, year, month, value, prior = (list(values) + [None] * 5)[:5]
        problems = []
        indicator = indicators.get(str(code or "").strip())
        if indicator is None:
            problems.append(("指标代码", _("No indicator has this code.")))
        try:
            year = int(year)
            if not 2000 <= year <= 2100:
                raise ValueError
        except (TypeError, ValueError):
            problems.append(("年份", _("A year such as 2026.")))
        try:
            month = int(month)
            if not 1 <= month <= 12:
                raise ValueError
        except (TypeError, ValueError):
            problems.append(("截至月份", _("A month from 1 to 12.")))
        try:
            value = _decimal(value)
            if value is None:
                problems.append(("累计值", _("Required.")))
        except ValueError as invalid:
            problems.append(("累计值", invalid))
        try:
            prior = _decimal(prior)
        except ValueError as invalid:
            problems.append(("上年同期值", invalid))
        if problems:
            errors.extend(RowError(number, column, str(message)) for column, message in problems)
        else:
            clean.append((indicator, year, month, value, prior))
    if errors:
        return 0, errors
    return actions.record_indicators(clean, actor=actor), []
