"""The buildings and the land parcels in Excel: export, and an all-or-nothing import (every row
checked by the same form as the pages and the API before anything is saved; a row whose code
exists updates that row)."""

import copy
import io
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from qingdan.carriers import actions
from qingdan.carriers.forms import BuildingForm, ParcelForm
from qingdan.carriers.models import Building, LandParcel
from qingdan.core.imports import RowError
from qingdan.lib import encode, xlsx

MAX_ROWS = 5_000

# kind → (model, form, [(field, heading)], sheet title)
SHEETS = {
    "buildings": (
        Building,
        BuildingForm,
        [
            ("code", "编号"),
            ("park_area", "片区"),
            ("name", "名称"),
            ("floors", "层数"),
            ("floor_area_m2", "单层面积(㎡)"),
            ("floor_load_kn_m2", "楼面荷载(kN/㎡)"),
            ("clear_height_m", "净高(m)"),
            ("crane_t", "行车(t)"),
            ("power_kva", "供电容量(kVA)"),
            ("water_t_day", "供水(t/日)"),
            ("rent_yuan_m2_month", "租金(元/㎡·月)"),
            ("state", "状态"),
            ("construction_start", "开工日期"),
            ("planned_completion", "计划竣工日期"),
            ("completed_on", "竣工日期"),
            ("revitalised_on", "盘活日期"),
        ],
        "标准厂房",
    ),
    "parcels": (
        LandParcel,
        ParcelForm,
        [
            ("code", "编号"),
            ("park_area", "片区"),
            ("name", "名称"),
            ("area_mu", "面积(亩)"),
            ("planned_use", "规划用途"),
            ("state", "状态"),
            ("supply_mode", "供地方式"),
            ("term_years", "年期(年)"),
            ("cleanup_deadline", "清理期限"),
            ("cleared_on", "盘活日期"),
        ],
        "土地",
    ),
}


def _labels(form_class, field: str) -> dict:
    """A choice column's values: the code or its Chinese label (the export writes the label)."""
    choices = getattr(form_class.base_fields[field], "choices", None) or []
    found = {}
    for value, label in choices:
        if value:
            found[str(label)] = value
            found[str(label).split("(")[-1].rstrip(")")] = value  # 建成待租
    return found


def export_xlsx(kind: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    model, form_class, columns, title = SHEETS[kind]
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append([heading for _f, heading in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in model.objects.all().iterator(chunk_size=1000):
        values = []
        for field, _heading in columns:
            value = getattr(row, field)
            display = getattr(row, f"get_{field}_display", None)
            if display is not None and value:
                value = str(display()).split("(")[-1].rstrip(")")
            values.append(value)
        encode.append_row(sheet, values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def import_xlsx(kind: str, data: bytes, *, actor) -> tuple[int, list[RowError]]:
    """(rows saved, errors). One error: nothing is saved."""
    model, form_class, columns, _title = SHEETS[kind]
    try:  # size, parts, expansion, rows and columns checked before any cell is parsed
        rows = iter(xlsx.rows(data, width=len(columns), max_rows=MAX_ROWS + 1))
    except xlsx.SpreadsheetRefused as refused:
        return 0, [RowError(0, "", refused.message)]
    header = [str(c or "").strip() for c in next(rows, ())][: len(columns)]
    if header != [heading for _f, heading in columns]:
        return 0, [
            RowError(
                1,
                "",
                _("The first row must be the template's headings: %(h)s.")
                % {"h": "、".join(h for _f, h in columns)},
            )
        ]
    headings = dict(columns)
    choice_labels = {
        f: _labels(form_class, f)
        for f, _h in columns
        if hasattr(form_class.base_fields[f], "choices")
    }
    existing = {obj.code: obj for obj in model.objects.all()}
    clean, errors, seen = [], [], set()
    for number, values in enumerate(rows, start=2):
        values = (list(values) + [None] * len(columns))[: len(columns)]
        if all(v in (None, "") for v in values):
            continue
        payload = {}
        for (field, _heading), value in zip(columns, values, strict=True):
            text = _cell(value)
            if field in choice_labels:
                text = choice_labels[field].get(text, text)
            payload[field] = text
        form = form_class(data=payload)
        if not form.is_valid():
            for field, messages in form.errors.items():
                errors.extend(RowError(number, headings.get(field, ""), str(m)) for m in messages)
            continue
        code = form.cleaned_data["code"]
        if code in seen:
            errors.append(
                RowError(number, headings["code"], _("This code is already in the file."))
            )
            continue
        seen.add(code)
        values = form.values()
        trial = copy.copy(existing[code]) if code in existing else model()
        for field, value in values.items():
            setattr(trial, field, value)
        try:  # the model's own rules (a completed building has its date…), per row
            trial.full_clean(validate_unique=False)
        except ValidationError as invalid:
            for field, messages in invalid.message_dict.items():
                errors.extend(RowError(number, headings.get(field, ""), str(m)) for m in messages)
            continue
        clean.append((existing.get(code), model, values))
    if errors:
        return 0, errors
    if not clean:
        return 0, [RowError(0, "", _("The file has no rows."))]
    try:
        return actions.save_many(clean, actor=actor), []
    except actions.InvalidInput as refused:
        return 0, [RowError(0, "", str(refused.message))]
