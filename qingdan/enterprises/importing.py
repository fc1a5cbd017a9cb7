"""Enterprise records in Excel: export, and an all-or-nothing import (every row checked first;
one bad cell and nothing is imported). A row whose credit code is known updates that
enterprise; an unknown code adds one."""

import io
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from qingdan.accounts.models import Enterprise, Industry, User
from qingdan.core.imports import RowError
from qingdan.enterprises import actions
from qingdan.enterprises.forms import NewEnterpriseForm
from qingdan.enterprises.models import Grade, SizeClass, Tag
from qingdan.lib import encode, xlsx
from qingdan.lib.errors import InvalidInput

COLUMNS = [
    ("credit_code", "统一社会信用代码"),
    ("name", "企业名称"),
    ("industry", "产业"),
    ("industry_code", "行业代码"),
    ("size_class", "规模"),
    ("registered_capital_wan_yuan", "注册资本(万元)"),
    ("address", "地址"),
    ("zone", "片区"),
    ("phone", "电话"),
    ("tags", "标签"),
    ("grade", "亩均评价"),
    ("commissioner", "包联干部(用户名)"),
]
MAX_ROWS = 5_000
SEPARATORS = ("、", ",", "，", ";", "；")


def _labels(choices) -> dict[str, str]:
    return {str(label): value for value, label in choices}


def export_xlsx(enterprises) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "一企一档"
    sheet.append([heading for _key, heading in COLUMNS])
    for e in enterprises.select_related("profile__commissioner"):
        profile = actions.profile_of(e)
        encode.append_row(
            sheet,
            [
                e.credit_code,
                e.name,
                e.get_industry_display(),
                profile.industry_code,
                profile.get_size_class_display() if profile.size_class else "",
                profile.registered_capital_wan_yuan,
                e.address,
                e.zone,
                e.phone,
                "、".join(profile.tag_labels()),
                profile.grade,
                profile.commissioner.username if profile.commissioner else "",
            ],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _split(text) -> list[str]:
    text = str(text or "")
    for separator in SEPARATORS[1:]:
        text = text.replace(separator, SEPARATORS[0])
    return [part.strip() for part in text.split(SEPARATORS[0]) if part.strip()]


def _row_data(values) -> tuple[dict, list[tuple[str, str]]]:
    """The form data of one row, and the cells that cannot be read at all."""
    cells = dict(zip([k for k, _h in COLUMNS], list(values) + [None] * len(COLUMNS), strict=False))
    errors = []
    text = {k: ("" if v is None else str(v).strip()) for k, v in cells.items()}
    industries = _labels(Industry.choices)
    data = dict(text)
    data["industry"] = industries.get(text["industry"], text["industry"])
    data["size_class"] = _labels(SizeClass.choices).get(text["size_class"], text["size_class"])
    tag_names = {
        **_labels(Tag.choices),
        **{str(lab).split("(")[-1].rstrip(")"): v for v, lab in Tag.choices},
    }
    tags = []
    for name in _split(text["tags"]):
        tag = tag_names.get(name, name if name in Tag.values else None)
        if tag is None:
            errors.append(("tags", _("Unknown tag “%(t)s”.") % {"t": name}))
        else:
            tags.append(tag)
    data["tags"] = tags
    if text["grade"] and text["grade"].upper() not in Grade.values:
        errors.append(("grade", _("A, B, C or D.")))
    data["grade"] = text["grade"].upper()
    data["commissioner"] = ""
    if text["commissioner"]:
        person = User.objects.filter(username=text["commissioner"]).first()
        if person is None:
            errors.append(("commissioner", _("No person has this user name.")))
        else:
            data["commissioner"] = str(person.pk)
    if isinstance(cells["registered_capital_wan_yuan"], int | float | Decimal):
        data["registered_capital_wan_yuan"] = str(cells["registered_capital_wan_yuan"])
    return data, errors


def import_xlsx(data: bytes, *, actor: User) -> tuple[int, list[RowError]]:
    """(rows imported, errors). One error: nothing is imported."""
    actions._keeper(actor)
    headings = dict(COLUMNS)
    try:
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
    clean, errors, seen = [], [], set()
    for number, values in enumerate(rows, start=2):
        if not values or all(v in (None, "") for v in values):
            continue
        form_data, cell_errors = _row_data(values)
        form = NewEnterpriseForm(data=form_data)
        form.is_valid()
        for field, messages in form.errors.items():
            cell_errors += [(field, m) for m in messages]
        code = form_data["credit_code"].upper()
        if code in seen:
            cell_errors.append(("credit_code", _("This code is on an earlier row too.")))
        seen.add(code)
        if cell_errors:
            errors += [RowError(number, headings.get(f, ""), str(m)) for f, m in cell_errors]
        else:
            clean.append((number, form.cleaned_data))
    if errors:
        return 0, errors
    with transaction.atomic():
        for number, values in clean:
            existing = Enterprise.objects.filter(credit_code=values["credit_code"].upper()).first()
            try:
                if existing:
                    actions.save_record(existing, actor=actor, values=values)
                else:
                    actions.create_enterprise(actor=actor, values=values)
            except InvalidInput as refused:
                transaction.set_rollback(True)
                fields = refused.fields or {"": [refused.message]}
                return 0, [
                    RowError(number, headings.get(f, f), str(" ".join(map(str, m))))
                    for f, m in fields.items()
                ]
    return len(clean), []
