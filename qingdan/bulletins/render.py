"""Render a bulletin's content to HTML, PDF (WeasyPrint), Word (python-docx), Excel (openpyxl)
and a chart image (Pillow, for PDF and Word; the web page draws it with ECharts)."""

import base64
import functools
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from qingdan.bulletins import sections
from qingdan.lib import fonts, pdf
from qingdan.problems import kpis

CHINESE_NUMBERS = "一二三四五六七八九十"
LIST_IN_DOCUMENTS = 200  # rows per list in the web page, PDF and Word; Excel lists everything


@dataclass
class Meta:
    """What frames the content: title block, version, correction, next steps."""

    title: str
    issuer: str
    issue_number: int | None
    version: int
    date: date
    next_steps: str = ""
    correction_note: str = ""
    corrects_version: int | None = None
    draft: bool = True
    document_number: str = ""  # 经开营商通〔2026〕12号, once published


def percent(value: str | None) -> str:
    """ "0.8333" → "83.33%"; None → "—" (nothing to measure)."""
    return kpis.percent(value)


def trimmed(content: dict) -> dict:
    """The content as documents show it: each list cut to LIST_IN_DOCUMENTS rows (a province's
    week has tens of thousands of items; the Excel 台账 keeps every one)."""
    n = LIST_IN_DOCUMENTS
    return content | {
        "items": content["items"][:n],
        "units": content["units"][:n],
        "unsatisfied": content["unsatisfied"][:n],
        "red": content["red"] | {"items": content["red"]["items"][:n]},
        "yellow": content["yellow"] | {"items": content["yellow"]["items"][:n]},
        "items_total": len(content["items"]),
        "units_total": len(content["units"]),
    }


def edition(content: dict, public: bool) -> dict:
    """The edition's content: the public one with the one redaction rule applied."""
    from qingdan.bulletins.content import redacted

    return redacted(content) if public else content


def edition_label(public: bool) -> str:
    return _("Public edition") if public else _("Internal edition")


def context(content: dict, meta: Meta, *, public: bool) -> dict:
    content = edition(content, public)
    numbers = {key: section_number(content, key) for key in section_keys(content)}
    return {
        "c": trimmed(content),
        "edition": edition_label(public),
        "period": _period(content),
        "as_of": _as_of(content),
        "long_date": _long_date(meta.date),
        "issue_line": issue_line(meta),
        "scoring_note": scoring_note(content),
        "meta": meta,
        "public": public,
        "n": numbers,
        "labels": _labels(),
        "overview": overall_sentence(content["overall"], content["previous"]),
        "sections": [
            section | {"n": numbers[f"section:{section['key']}"]}
            for section in sections.shown(content)
        ],
    }


def in_document_language(function):
    """Bulletins are the park's official documents: written in its language (LANGUAGE_CODE),
    whatever the language of the person who asks for one."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper


@in_document_language
def render_html(content: dict, meta: Meta, *, public: bool, standalone: bool = False) -> str:
    """The document; ``standalone`` makes it a complete page with the chart as an image (the
    form stored at publish), otherwise a fragment for the site's page (ECharts draws it)."""
    ctx = context(content, meta, public=public) | {
        "standalone": standalone,
        "chart_png": base64.b64encode(chart_png(content)).decode() if standalone else "",
    }
    return render_to_string("bulletins/document.html", ctx)


@in_document_language
def render_pdf(content: dict, meta: Meta, *, public: bool = False) -> bytes:
    ctx = context(content, meta, public=public) | {
        "chart_png": base64.b64encode(chart_png(content)).decode(),
        "standalone": True,
        "print": True,
    }
    html = render_to_string("bulletins/document.html", ctx)
    return pdf.html_to_pdf(html)


# --- Word ----------------------------------------------------------------------------------


@in_document_language
def render_docx(content: dict, meta: Meta, *, public: bool = False) -> bytes:
    from qingdan.lib.wordfile import CENTER, RIGHT, SIZES, OfficialDocument

    content = edition(content, public)
    document = OfficialDocument(title=meta.title, creator=meta.issuer)
    labels = _labels()
    document.red_header(meta.issuer, issue_line(meta))
    document.paragraph(edition_label(public), size=SIZES["四号"], align=CENTER)
    if meta.draft:
        document.paragraph(labels["draft_mark"], size=SIZES["四号"], align=CENTER)
    document.title(meta.title)
    document.paragraph(labels["as_of"] % {"as_of": _as_of(content)}, size=SIZES["四号"])
    if meta.correction_note:
        note = labels["correction"] % {"n": meta.corrects_version, "note": meta.correction_note}
        document.paragraph(note, size=SIZES["四号"])

    def paragraph(text, *, size=SIZES["三号"], align=None):
        return document.paragraph(text, size=size, align=align)

    def heading(key, text):
        document.heading(f"{section_number(content, key)}{text}")

    def table(headers, rows):
        return document.table(headers, rows)

    o, p = content["overall"], content["previous"]
    heading("overall", labels["overall"])
    paragraph(overall_sentence(o, p), size=16)
    document.picture(chart_png(content))
    shown = trimmed(content)
    heading("units", labels["units"])
    table(labels["unit_headers"], [_unit_cells(row) for row in shown["units"]])
    paragraph(scoring_note(content), size=SIZES["四号"])
    heading("praised", labels["praised"])
    paragraph("、".join(content["praised"]) or labels["none"], size=16)
    heading("warnings", labels["warnings"])
    for colour in ("red", "yellow"):
        block = shown[colour]
        paragraph(f"{labels[colour]}: {block['total']}", size=16)
        if block["items"]:
            table(labels["warning_headers"], [_warning_cells(item) for item in block["items"]])
    heading("unsatisfied", labels["unsatisfied"])
    if shown["unsatisfied"]:
        table(
            labels["unsatisfied_headers"],
            [
                [i["number"], i["title"], i["lead_unit"], i["reason"], i["status"]]
                for i in shown["unsatisfied"]
            ],
        )
    else:
        paragraph(labels["none"], size=16)
    heading("items", labels["items"])
    shown = content["items"][:LIST_IN_DOCUMENTS]
    table(labels["item_headers"], [_item_cells(item) for item in shown])
    if len(content["items"]) > len(shown):
        paragraph(labels["more_items"] % {"n": len(content["items"])}, size=14)
    if content.get("appeals"):
        heading("appeals", labels["appeals"])
        table(labels["appeal_headers"], [_appeal_cells(a) for a in content["appeals"]])
    if content.get("challenges"):
        heading("challenges", labels["challenges"])
        table(
            labels["challenge_headers"],
            [
                [
                    c["code"],
                    c["title"],
                    c["owner_unit"],
                    c["team"] or "—",
                    c["status"],
                    f"{c['milestones_done']}/{c['milestones_total']}"
                    + (f" ({c['milestones_late']})" if c["milestones_late"] else ""),
                ]
                for c in content["challenges"]
            ],
        )
    for section in sections.shown(content):
        heading(f"section:{section['key']}", section["title"])
        table([labels["figure"], labels["value"]], section["rows"])
    heading("next_steps", labels["next_steps"])
    for line in (meta.next_steps or labels["none"]).splitlines():
        paragraph(line, size=16)
    paragraph(meta.issuer, align=RIGHT)
    paragraph(_long_date(meta.date), align=RIGHT)
    return document.to_bytes()


def _number(value):
    """A frozen figure as Excel should hold it: decimals kept as text become numbers."""
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    return value


def section_number(content: dict, key: str) -> str:
    """ "一、" in Chinese documents, "1. " otherwise."""
    index = section_keys(content).index(key)
    if translation.get_language().startswith("zh"):
        return f"{CHINESE_NUMBERS[index]}、"
    return f"{index + 1}. "


def section_keys(content: dict) -> list[str]:
    keys = ["overall", "units", "praised", "warnings", "unsatisfied", "items"]
    if content.get("appeals"):
        keys.append("appeals")
    if content.get("challenges"):
        keys.append("challenges")
    keys += [f"section:{frozen['key']}" for frozen in content.get("sections", [])]
    return [*keys, "next_steps"]


def _labels() -> dict:
    """The document's fixed wording (in the language active while rendering)."""
    return {
        "overall": _("Overview"),
        "units": _("Handling and ranking by unit"),
        "praised": _("Units commended"),
        "warnings": _("Red and yellow warnings"),
        "red": _("Red (overdue, not resolved)"),
        "yellow": _("Yellow (late sign-for, or just overdue)"),
        "unsatisfied": _("Items the enterprises were not satisfied with"),
        "items": _("Public list of problems and their handling"),
        "challenges": _("Open challenges"),
        "figure": _("Figure"),
        "value": _("Value"),
        "appeals": _("Appeals decided this week"),
        "appeal_headers": [
            _("Number"),
            _("Problem"),
            _("Unit"),
            _("What is appealed"),
            _("Decision"),
            _("Reason"),
            _("Decided on"),
        ],
        "draft_mark": _("DRAFT — not published"),
        "next_steps": _("Next-step requirements"),
        "none": _("None."),
        "more_items": _("(%(n)s items in all: see the full ledger in the Excel attachment.)"),
        "ledger": _("Ledger"),
        "by_unit": _("By unit"),
        "as_of": _("Figures as of %(as_of)s"),
        "draft": _("(draft)"),
        "issue": _("Issue %(n)s"),
        "version": _("version %(n)s"),
        "correction": _("Correction (corrects version %(n)s): %(note)s"),
        "unit_headers": [
            _("Rank"),
            _("Unit"),
            _("Assigned"),
            _("Items counted"),
            _("Timely sign-for rate"),
            _("Resolved"),
            _("On-time resolution rate"),
            _("Resolution rate"),
            _("Overdue"),
            _("Satisfaction rate"),
            _("Redo rate"),
            _("Redo on-time rate"),
            _("Returned"),
            _("Urged"),
            _("Supervised"),
            _("Score"),
        ],
        "warning_headers": [
            _("Number"),
            _("Problem"),
            _("Enterprise"),
            _("Lead unit"),
            _("Responsible person"),
            _("Deadline"),
        ],
        "unsatisfied_headers": [
            _("Number"),
            _("Problem"),
            _("Lead unit"),
            _("Why not satisfied"),
            _("Status now"),
        ],
        "challenge_headers": [
            _("Number"),
            _("Challenge"),
            _("Owner unit"),
            _("Selected team"),
            _("State"),
            _("Milestones done (late)"),
        ],
        "item_headers": [
            _("Number"),
            _("Enterprise"),
            _("Problem"),
            _("Lead unit"),
            _("Responsible person"),
            _("Deadline"),
            _("Status"),
        ],
        "ledger_headers": [
            _("Number"),
            _("Enterprise"),
            _("Problem"),
            _("Lead unit"),
            _("Responsible person"),
            _("Deadline"),
            _("Status"),
        ],
        "chart_units": _("Resolution rate by unit"),
        "chart_trend": _("Problems in the last 12 weeks"),
        "chart_raised": _("raised"),
        "chart_resolved": _("resolved"),
    }


def overall_sentence(o: dict, p: dict) -> str:
    """The overview paragraph, with the change against the previous week."""
    return _(
        "This week %(raised)s problems were raised (%(raised_change)s on last week), "
        "%(accepted)s accepted and %(assigned)s assigned; %(resolved)s are resolved "
        "(%(resolved_change)s), %(in_progress)s in progress and %(overdue)s overdue. "
        "Timely sign-for rate %(sign_rate)s, on-time resolution rate %(on_time_rate)s, "
        "resolution rate %(resolve_rate)s, satisfaction rate %(satisfaction_rate)s; "
        "%(redone)s sent back for redo (redo rate %(redo_rate)s, redo on-time rate "
        "%(redo_on_time_rate)s)."
    ) % {
        "redone": o.get("redone", 0),
        "redo_rate": percent(o.get("redo_rate")),
        "redo_on_time_rate": percent(o.get("redo_on_time_rate")),
        "raised": o["raised"],
        "raised_change": f"{o['raised'] - p['raised']:+d}",
        "accepted": o["accepted"],
        "assigned": o["assigned"],
        "resolved": o["resolved"],
        "resolved_change": f"{o['resolved'] - p['resolved']:+d}",
        "in_progress": o["in_progress"],
        "overdue": o["overdue"],
        "sign_rate": percent(o["sign_rate"]),
        "on_time_rate": percent(o["on_time_rate"]),
        "resolve_rate": percent(o["resolve_rate"]),
        "satisfaction_rate": percent(o["satisfaction_rate"]),
    }


# A unit row's columns: (key, kind) — kind "n" a count, "%" a rate, "s" a score, "t" text.
UNIT_COLUMNS = (
    ("rank", "n"),
    ("unit", "t"),
    ("assigned", "n"),
    ("scored", "n"),
    ("sign_rate", "%"),
    ("resolved", "n"),
    ("on_time_rate", "%"),
    ("resolve_rate", "%"),
    ("overdue", "n"),
    ("satisfaction_rate", "%"),
    ("redo_rate", "%"),
    ("redo_on_time_rate", "%"),
    ("returned", "n"),
    ("urged", "n"),
    ("supervised", "n"),
    ("score", "s"),
)


def _unit_cells(row: dict) -> list:
    """The row as the documents print it (the same values the Excel cells hold)."""
    cells = []
    for key, kind in UNIT_COLUMNS:
        value = row.get(key)
        if kind == "%":
            cells.append(percent(value))
        elif value is None or value == "":
            cells.append("—")
        else:
            cells.append(str(value))
    return cells


def _unit_values(row: dict) -> list[tuple]:
    """The row for Excel: (value, number format) — numbers as numbers, "—" when none."""
    values = []
    for key, kind in UNIT_COLUMNS:
        value = row.get(key)
        if value is None:
            values.append(("—", None))
        elif kind == "%":
            values.append((float(Decimal(value)), "0.00%"))
        elif kind == "s":
            values.append((float(Decimal(value)), "0.00"))
        else:
            values.append((value, None))
    return values


def scoring_note(content: dict) -> str:
    """The formula, weights and minimum, printed under the ranking in every format."""
    from qingdan.problems.kpis import formula_text

    scoring = content.get("scoring")
    return formula_text(scoring) if scoring else ""


def issue_line(meta: Meta) -> str:
    labels = _labels()
    if not meta.issue_number:
        return labels["draft"]
    line = labels["issue"] % {"n": meta.issue_number}
    if meta.document_number:
        line = f"{meta.document_number}　{line}"
    if meta.version > 1:
        line += " · " + labels["version"] % {"n": meta.version}
    return line


def _appeal_cells(a: dict) -> list:
    return [
        a["number"],
        a["title"],
        a["unit"],
        a["kind"],
        a["decision"],
        a["note"],
        _long_date(date.fromisoformat(a["decided_on"])),
    ]


def _period(content: dict) -> str:
    from qingdan.bulletins.content import period

    return period(content["week_start"], content["week_end"])


def _as_of(content: dict) -> str:
    from datetime import datetime

    moment = datetime.fromisoformat(content["as_of"])
    return f"{_long_date(moment.date())} {moment:%H:%M}"


def _warning_cells(item: dict) -> list:
    return [
        item["number"],
        item["title"],
        item["enterprise"],
        item["lead_unit"],
        item["responsible"],
        item["deadline"],
    ]


def _item_cells(item: dict) -> list:
    return [
        item["number"],
        item["enterprise"],
        item["title"],
        item["lead_unit"],
        item["responsible"],
        item["deadline"],
        item["status_label"],
    ]


def _long_date(day: date) -> str:
    from qingdan.bulletins.content import chinese_date

    return chinese_date(day)


# --- Excel 台账 -----------------------------------------------------------------------------


@in_document_language
def render_xlsx(content: dict, meta: Meta, *, public: bool = False) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from qingdan.lib.encode import append_row, set_cell

    content = edition(content, public)
    labels = _labels()
    book = Workbook()
    sheet = book.active
    sheet.title = labels["ledger"]
    append_row(sheet, [meta.title])
    sheet["A1"].font = Font(bold=True, size=14)
    append_row(sheet, [f"{edition_label(public)}　{issue_line(meta)}"])
    append_row(sheet, [labels["as_of"] % {"as_of": _as_of(content)}])
    append_row(sheet, labels["ledger_headers"])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE3EA")
    for item in content["items"]:
        row = [
            item["number"],
            item["enterprise"],
            item["title"],
            item["lead_unit"],
            item["responsible"],
            item["deadline"],
            item["status_label"],
        ]
        append_row(sheet, row)
    for column, width in zip("ABCDEFG", (17, 30, 36, 24, 10, 12, 16), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A5"
    units = book.create_sheet(labels["by_unit"])
    append_row(units, labels["unit_headers"])
    for cell in units[1]:
        cell.font = Font(bold=True)
    for index, row in enumerate(content["units"], start=2):
        for column, (value, number_format) in enumerate(_unit_values(row), start=1):
            cell = units.cell(row=index, column=column)
            set_cell(cell, value)
            if number_format:
                cell.number_format = number_format
    units.column_dimensions["B"].width = 26
    append_row(units, [])
    append_row(units, [scoring_note(content)])
    for name in ("red", "yellow"):
        warn = book.create_sheet({"red": _("Red"), "yellow": _("Yellow")}[name])
        append_row(warn, labels["warning_headers"])
        for item in content[name]["items"]:
            append_row(warn, _warning_cells(item))
    if content.get("appeals"):
        appeals = book.create_sheet(_("Appeals"))
        append_row(appeals, labels["appeal_headers"])
        for a in content["appeals"]:
            append_row(appeals, _appeal_cells(a))
    for section in sections.shown(content):
        sheet = book.create_sheet(section["title"][:31])
        append_row(sheet, [labels["figure"], labels["value"]])
        for label, value in section["rows"]:
            append_row(sheet, [label, _number(value)])
        sheet.column_dimensions["A"].width = 30
    for ws in book.worksheets:
        for row in ws.iter_rows(min_row=1, max_row=1):
            for cell in row:
                cell.alignment = Alignment(vertical="center")
    book.properties.title = meta.title
    book.properties.creator = meta.issuer
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Chart ----------------------------------------------------------------------------------


def chart_png(content: dict, width: int = 1400, height: int = 620) -> bytes:
    """Per-unit 办结率 bars (left) and the weekly trend of raised/resolved (right)."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font_path = str(fonts.require_cjk())

    def face(size):
        return ImageFont.truetype(font_path, size)

    small, label = face(18), face(22)
    labels = _labels()
    draw.text((20, 10), labels["chart_units"], font=label, fill="#1f2933")
    rows = [r for r in content["units"] if r["resolve_rate"] is not None][:12]
    left, top, bar_width = 250, 60, 380
    for index, row in enumerate(rows):
        y = top + index * 42
        value = float(row["resolve_rate"])
        draw.text((20, y + 4), row["unit"][:11], font=small, fill="#1f2933")
        draw.rectangle([left, y, left + bar_width, y + 28], fill="#eef1f5")
        draw.rectangle([left, y, left + int(bar_width * value), y + 28], fill="#1d4e89")
        draw.text(
            (left + bar_width + 10, y + 4), percent(row["resolve_rate"]), font=small, fill="#1f2933"
        )
    # Trend: raised (grey) and resolved (blue) per week.
    ox, oy, w, h = 760, 80, 600, 440
    draw.text((ox, 10), labels["chart_trend"], font=label, fill="#1f2933")
    trend = content["trend"]
    peak = max([t["raised"] for t in trend] + [1])
    step = w / max(len(trend), 1)
    for index, point in enumerate(trend):
        x = ox + index * step
        for offset, key, colour in ((0, "raised", "#9aa5b1"), (step * 0.4, "resolved", "#1d4e89")):
            bar = int(h * point[key] / peak)
            draw.rectangle(
                [x + offset, oy + h - bar, x + offset + step * 0.35, oy + h], fill=colour
            )
        draw.text((x, oy + h + 8), point["week"][5:], font=face(14), fill="#616e7c")
    draw.text((ox, oy + h + 36), "■ " + labels["chart_raised"], font=small, fill="#9aa5b1")
    draw.text((ox + 160, oy + h + 36), "■ " + labels["chart_resolved"], font=small, fill="#1d4e89")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
