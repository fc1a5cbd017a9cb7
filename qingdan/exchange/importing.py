"""Excel problem lists (问题清单): the template, export, and the all-or-nothing import.

Every row is checked before anything is written; one wrong cell rejects the whole file with
each bad row and column named. A clean file is imported in one transaction, through the same
``raise_problem`` action as the web form.
"""

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from qingdan.accounts.models import Enterprise, Unit, User
from qingdan.lib import xlsx
from qingdan.lib.creditcode import normalize
from qingdan.problems.actions import raise_many
from qingdan.problems.models import Category, Channel, Problem, Urgency

# Columns: (key, Chinese heading as in the template). The headings are the file format: they
# stay Chinese whatever the interface language, like the official forms they mirror.
COLUMNS = [
    ("enterprise", "企业名称或统一社会信用代码"),
    ("title", "问题标题"),
    ("description", "问题描述"),
    ("category", "问题类别"),
    ("lead_unit", "建议牵头单位"),
    ("urgency", "紧急程度"),
    ("public", "是否公开企业名称"),
]
URGENCY = {"一般": Urgency.NORMAL, "紧急": Urgency.URGENT, "": Urgency.NORMAL}
YES_NO = {"是": True, "否": False, "": True}
MAX_ROWS = 200_000


@dataclass
class RowError:
    row: int  # the spreadsheet's row number, as the person sees it
    column: str  # the heading
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class CleanRow:
    enterprise: Enterprise
    title: str
    description: str
    category: Category
    lead_unit: Unit | None
    urgency: str
    public: bool


def template_xlsx(rows: Iterable[list] = ()) -> bytes:
    """The import template (headings, an instruction sheet), optionally filled with rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = "问题清单"
    sheet.append([heading for _key, heading in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE3EA")
    for row in rows:
        sheet.append(row)
    for column, width in zip("ABCDEFG", (34, 28, 50, 14, 22, 10, 16), strict=True):
        sheet.column_dimensions[column].width = width
    urgency = DataValidation(type="list", formula1='"一般,紧急"', allow_blank=True)
    public = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    sheet.add_data_validation(urgency)
    sheet.add_data_validation(public)
    urgency.add("F2:F100000")
    public.add("G2:G100000")
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("填写说明")
    for line in [
        ["每行一个问题；第一行标题不要修改。"],
        ["企业：填写已登记企业的全称或18位统一社会信用代码。"],
        ["问题类别：" + "、".join(Category.objects.filter(is_active=True).values_list("name",
                                                                                   flat=True))],
        ["建议牵头单位：可空；填写时须与系统中的单位名称一致。"],
        ["紧急程度：一般或紧急（空为一般）。是否公开企业名称：是或否（空为是）。"],
        ["任何一行有错误时整份文件都不会导入，系统会列出每个错误的行和列。"],
    ]:  # fmt: skip
        notes.append(line)
    notes.column_dimensions["A"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_rows(problems) -> list[list]:
    """A problem list as template rows (export → import gives the same list)."""
    urgency_text = {value: text for text, value in URGENCY.items() if text}
    return [
        [
            p.enterprise.credit_code,
            p.title,
            p.description,
            p.category.name,
            p.proposed_lead_unit.name if p.proposed_lead_unit_id else "",
            urgency_text[p.urgency],
            "是" if p.may_name_publicly else "否",
        ]
        for p in problems.select_related("enterprise", "category", "proposed_lead_unit").order_by(
            "id"
        )
    ]


def read_rows(data: bytes) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """Rows of the first sheet as dicts keyed by column, with their row numbers."""
    try:  # size, parts, expansion, rows and columns checked before any cell is parsed
        rows = iter(xlsx.rows(data, width=len(COLUMNS), max_rows=MAX_ROWS + 1))
    except xlsx.SpreadsheetRefused as refused:
        return [], [RowError(0, "", refused.message)]
    header = [str(cell or "").strip() for cell in next(rows, ())]
    expected = [heading for _key, heading in COLUMNS]
    if header[: len(expected)] != expected:
        return [], [
            RowError(1, "", _("The first row must be the template's headings: %(headings)s.")
                     % {"headings": "、".join(expected)})
        ]  # fmt: skip
    result = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue
        if len(result) >= MAX_ROWS:
            return [], [
                RowError(number, "", _("A file may hold at most %(n)s rows.") % {"n": MAX_ROWS})
            ]
        cells = {key: str(values[i] if i < len(values) and values[i] is not None else "").strip()
                 for i, (key, _heading) in enumerate(COLUMNS)}  # fmt: skip
        result.append((number, cells))
    return result, []


class Lookups:
    """Finds enterprises, categories and units for many rows with few queries."""

    def __init__(self, rows: list[tuple[int, dict]]):
        keys = {cells["enterprise"] for _n, cells in rows}
        codes = {normalize(key) for key in keys}
        found = Enterprise.objects.filter(Q(name__in=keys) | Q(credit_code__in=codes))
        self.enterprises = {}
        for enterprise in found:
            self.enterprises[enterprise.name] = enterprise
            self.enterprises[enterprise.credit_code] = enterprise
        self.categories = {c.name: c for c in Category.objects.filter(is_active=True)}
        self.categories |= {c.name_en: c for c in self.categories.values() if c.name_en}
        self.units = {u.name: u for u in Unit.objects.filter(is_active=True)}

    def enterprise(self, text: str) -> Enterprise | None:
        return self.enterprises.get(text) or self.enterprises.get(normalize(text))


def validate(rows: list[tuple[int, dict]], progress: Callable[[int], None] | None = None):
    """(clean rows, errors): errors empty means every row is right."""
    headings = dict(COLUMNS)
    lookups = Lookups(rows)
    clean, errors = [], []
    for index, (number, cells) in enumerate(rows):
        problems = []
        enterprise = lookups.enterprise(cells["enterprise"]) if cells["enterprise"] else None
        if not cells["enterprise"]:
            problems.append(("enterprise", _("Required.")))
        elif enterprise is None:
            problems.append(("enterprise", _("No registered enterprise has this name or code.")))
        if not cells["title"]:
            problems.append(("title", _("Required.")))
        elif len(cells["title"]) > 120:
            problems.append(("title", _("At most 120 characters.")))
        if not cells["description"]:
            problems.append(("description", _("Required.")))
        category = lookups.categories.get(cells["category"])
        if category is None:
            names = "、".join(sorted({c.name for c in lookups.categories.values()}))
            problems.append(
                ("category", _("Not a category: use one of %(names)s.") % {"names": names})
            )
        unit = lookups.units.get(cells["lead_unit"]) if cells["lead_unit"] else None
        if cells["lead_unit"] and unit is None:
            problems.append(("lead_unit", _("No unit has this name.")))
        if cells["urgency"] not in URGENCY:
            problems.append(("urgency", _("Write 一般 or 紧急.")))
        if cells["public"] not in YES_NO:
            problems.append(("public", _("Write 是 or 否.")))
        if problems:
            errors.extend(
                RowError(number, headings[key], str(message)) for key, message in problems
            )
        else:
            clean.append(CleanRow(enterprise, cells["title"], cells["description"], category, unit,
                                  URGENCY[cells["urgency"]], YES_NO[cells["public"]]))  # fmt: skip
        if progress and index % 500 == 0:
            progress(index)
    return clean, errors


def import_rows(clean: list[CleanRow], *, exchange_day, actor: User,
                progress: Callable[[int], None] | None = None) -> list[Problem]:  # fmt: skip
    """Raise every row's problem, in one transaction (all or none)."""
    created = []
    with transaction.atomic():
        for start in range(0, len(clean), 5000):
            chunk = clean[start : start + 5000]
            created += raise_many(
                actor=actor,
                exchange_day=exchange_day,
                rows=[
                    {"enterprise": row.enterprise, "title": row.title,
                     "description": row.description, "category": row.category,
                     "channel": Channel.EXCHANGE_DAY, "urgency": row.urgency,
                     "may_name_publicly": row.public, "proposed_lead_unit": row.lead_unit}
                    for row in chunk
                ],
            )  # fmt: skip
            if progress:
                progress(start + len(chunk))
        exchange_day.enterprises.add(*{row.enterprise.pk for row in clean})
    return created
