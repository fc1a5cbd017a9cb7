"""Excel problem lists (问题清单): the template, export, and the all-or-nothing import.

Every row is checked before anything is written; one wrong cell rejects the whole file with
each bad row and column named. A clean file is imported in one transaction, through the same
``raise_problem`` action as the web form.
"""

import io
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from qingdan.accounts.models import Role, User
from qingdan.core.imports import RowError
from qingdan.lib import encode, xlsx
from qingdan.problems import inputs
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
        encode.append_row(sheet, row)
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
        [
            "问题类别："
            + "、".join(Category.objects.filter(is_active=True).values_list("name", flat=True))
        ],
        ["建议牵头单位：可空；填写时须与系统中的单位名称一致。"],
        ["紧急程度：一般或紧急（空为一般）。是否公开企业名称：是或否（空为是）。"],
        ["任何一行有错误时整份文件都不会导入，系统会列出每个错误的行和列。"],
    ]:
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
            RowError(
                1,
                "",
                _("The first row must be the template's headings: %(headings)s.")
                % {"headings": "、".join(expected)},
            )
        ]
    result = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue
        if len(result) >= MAX_ROWS:
            return [], [
                RowError(number, "", _("A file may hold at most %(n)s rows.") % {"n": MAX_ROWS})
            ]
        cells = {
            key: str(values[i] if i < len(values) and values[i] is not None else "").strip()
            for i, (key, _heading) in enumerate(COLUMNS)
        }
        result.append((number, cells))
    return result, []


# How the template's columns name raise_problem's inputs.
FIELD_OF = {"lead_unit": "proposed_lead_unit", "public": "may_name_publicly"}
COLUMN_OF = {field: key for key, field in FIELD_OF.items()}


def validate(
    rows: list[tuple[int, dict]],
    progress: Callable[[int], None] | None = None,
    *,
    actor: User | None = None,
):
    """(clean rows, errors): errors empty means every row is right. Each row is checked by the
    one definition of a raise's input (``problems.inputs.clean_raise``); this adapter only
    translates the template's words (一般/紧急, 是/否) and its columns."""
    headings = dict(COLUMNS)
    lookups = inputs.Lookups(cells["enterprise"] for _n, cells in rows)
    secretariat = actor or User(role=Role.SECRETARIAT)
    clean, errors = [], []
    for index, (number, cells) in enumerate(rows):
        problems = []
        if cells["urgency"] not in URGENCY:
            problems.append(("urgency", _("Write 一般 or 紧急.")))
        if cells["public"] not in YES_NO:
            problems.append(("public", _("Write 是 or 否.")))
        raw = {
            "enterprise": cells["enterprise"],
            "title": cells["title"],
            "description": cells["description"],
            "category": cells["category"],
            "channel": Channel.EXCHANGE_DAY,
            "urgency": URGENCY.get(cells["urgency"], Urgency.NORMAL),
            "may_name_publicly": YES_NO.get(cells["public"], True),
            "proposed_lead_unit": cells["lead_unit"],
        }
        row, field_errors = inputs.clean_raise(raw, actor=secretariat, lookups=lookups)
        problems += [(COLUMN_OF.get(name, name), message) for name, message in field_errors.items()]
        if problems:
            errors.extend(
                RowError(number, headings[key], str(message)) for key, message in problems
            )
        else:
            clean.append(row)
        if progress and index % 500 == 0:
            progress(index)
    return clean, errors


def import_rows(
    clean: list[inputs.RaiseInput],
    *,
    exchange_day,
    actor: User,
    progress: Callable[[int], None] | None = None,
) -> list[Problem]:
    """Raise every row's problem, in one transaction (all or none)."""
    created = []
    with transaction.atomic():
        for start in range(0, len(clean), 5000):
            chunk = clean[start : start + 5000]
            created += raise_many(
                actor=actor,
                exchange_day=exchange_day,
                rows=[row.as_kwargs() for row in chunk],
            )
            if progress:
                progress(start + len(chunk))
        exchange_day.enterprises.add(*{row.enterprise.pk for row in clean})
    return created
