"""Render a bulletin's content to HTML, PDF (WeasyPrint), Word (python-docx), Excel (openpyxl)
and a chart image (Pillow, for PDF and Word; the web page draws it with ECharts)."""

import base64
import functools
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _

from qingdan.lib import fonts, pdf

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


def percent(value: str | None) -> str:
    """ "0.8333" → "83.33%"; None → "—" (nothing to measure)."""
    if value is None:
        return "—"
    return f"{(Decimal(value) * 100).quantize(Decimal('0.01'))}%"


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


def context(content: dict, meta: Meta, *, public: bool) -> dict:
    numbers = {key: section_number(content, key) for key in section_keys(content)}
    return {
        "c": trimmed(content),
        "meta": meta,
        "public": public,
        "n": numbers,
        "labels": _labels(),
        "overview": overall_sentence(content["overall"], content["previous"]),
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
def render_pdf(content: dict, meta: Meta) -> bytes:
    ctx = context(content, meta, public=False) | {
        "chart_png": base64.b64encode(chart_png(content)).decode(),
        "standalone": True,
        "print": True,
    }
    html = render_to_string("bulletins/document.html", ctx)
    return pdf.html_to_pdf(html)


# --- Word ----------------------------------------------------------------------------------


@in_document_language
def render_docx(content: dict, meta: Meta) -> bytes:
    from qingdan.lib.wordfile import RIGHT, SIZES, OfficialDocument

    document = OfficialDocument(title=meta.title, creator=meta.issuer)
    labels = _labels()
    number = labels["issue"] % {"n": meta.issue_number} if meta.issue_number else labels["draft"]
    if meta.version > 1:
        number += " · " + labels["version"] % {"n": meta.version}
    document.red_header(meta.issuer, number)
    document.title(meta.title)
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
        table(labels["unsatisfied_headers"],
              [[i["number"], i["title"], i["lead_unit"], i["reason"], i["status"]]
               for i in shown["unsatisfied"]])  # fmt: skip
    else:
        paragraph(labels["none"], size=16)
    heading("items", labels["items"])
    shown = content["items"][:LIST_IN_DOCUMENTS]
    table(labels["item_headers"], [_item_cells(item) for item in shown])
    if len(content["items"]) > len(shown):
        paragraph(labels["more_items"] % {"n": len(content["items"])}, size=14)
    if content.get("challenges"):
        heading("challenges", labels["challenges"])
        table(labels["challenge_headers"], [
            [c["code"], c["title"], c["owner_unit"], c["team"] or "—", c["status"],
             f"{c['milestones_done']}/{c['milestones_total']}"
             + (f" ({c['milestones_late']})" if c["milestones_late"] else "")]
            for c in content["challenges"]
        ])  # fmt: skip
    heading("next_steps", labels["next_steps"])
    for line in (meta.next_steps or labels["none"]).splitlines():
        paragraph(line, size=16)
    paragraph(meta.issuer, align=RIGHT)
    paragraph(_long_date(meta.date), align=RIGHT)
    return document.to_bytes()


def section_number(content: dict, key: str) -> str:
    """ "一、" in Chinese documents, "1. " otherwise."""
    index = section_keys(content).index(key)
    if translation.get_language().startswith("zh"):
        return f"{CHINESE_NUMBERS[index]}、"
    return f"{index + 1}. "


def section_keys(content: dict) -> list[str]:
    keys = ["overall", "units", "praised", "warnings", "unsatisfied", "items"]
    if content.get("challenges"):
        keys.append("challenges")
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
        "challenges": _("Open challenges (揭榜挂帅)"),
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
        "unit_headers": [_("Rank"), _("Unit"), _("Assigned"), _("Timely sign-for rate"),
                         _("Resolved"), _("On-time resolution rate"), _("Resolution rate"),
                         _("Overdue"), _("Satisfaction rate"), _("Redo rate"), _("Score")],
        "warning_headers": [_("Number"), _("Problem"), _("Enterprise"), _("Lead unit"),
                            _("Responsible person"), _("Deadline")],
        "unsatisfied_headers": [_("Number"), _("Problem"), _("Lead unit"),
                                _("Why not satisfied"), _("Status now")],
        "challenge_headers": [_("Number"), _("Challenge"), _("Owner unit"), _("Selected team"),
                              _("State"), _("Milestones done (late)")],
        "item_headers": [_("Number"), _("Enterprise"), _("Problem"), _("Lead unit"),
                         _("Responsible person"), _("Deadline"), _("Status")],
        "ledger_headers": [_("Number"), _("Enterprise"), _("Enterprise (public name)"),
                           _("Problem"), _("Lead unit"), _("Responsible person"), _("Deadline"),
                           _("Status")],
        "chart_units": _("Resolution rate by unit"),
        "chart_trend": _("Problems in the last 12 weeks"),
        "chart_raised": _("raised"),
        "chart_resolved": _("resolved"),
    }  # fmt: skip


def overall_sentence(o: dict, p: dict) -> str:
    """The overview paragraph, with the change against the previous week."""
    return _(
        "This week %(raised)s problems were raised (%(raised_change)s on last week), "
        "%(accepted)s accepted and %(assigned)s assigned; %(resolved)s are resolved "
        "(%(resolved_change)s), %(in_progress)s in progress and %(overdue)s overdue. "
        "Timely sign-for rate %(sign_rate)s, on-time resolution rate %(on_time_rate)s, "
        "resolution rate %(resolve_rate)s, satisfaction rate %(satisfaction_rate)s."
    ) % {
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


def _unit_cells(row: dict) -> list:
    return [row["rank"] or "—", row["unit"], row["assigned"], percent(row["sign_rate"]),
            row["resolved"], percent(row["on_time_rate"]), percent(row["resolve_rate"]),
            row["overdue"], percent(row["satisfaction_rate"]), percent(row["redo_rate"]),
            row["score"] or "—"]  # fmt: skip


def _warning_cells(item: dict) -> list:
    return [item["number"], item["title"], item["enterprise"], item["lead_unit"],
            item["responsible"], item["deadline"]]  # fmt: skip


def _item_cells(item: dict) -> list:
    return [item["number"], item["enterprise_public"], item["title"], item["lead_unit"],
            item["responsible"], item["deadline"], item["status_label"]]  # fmt: skip


def _long_date(day: date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


# --- Excel 台账 -----------------------------------------------------------------------------


@in_document_language
def render_xlsx(content: dict, meta: Meta) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    labels = _labels()
    book = Workbook()
    sheet = book.active
    sheet.title = labels["ledger"]
    sheet.append([meta.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([labels["as_of"] % {"as_of": content["as_of"]}])
    sheet.append(labels["ledger_headers"])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE3EA")
    for item in content["items"]:
        sheet.append([item["number"], item["enterprise"], item["enterprise_public"],
                      item["title"], item["lead_unit"], item["responsible"], item["deadline"],
                      item["status_label"]])  # fmt: skip
    for column, width in zip("ABCDEFGH", (17, 30, 18, 36, 24, 10, 12, 16), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A4"
    units = book.create_sheet(labels["by_unit"])
    units.append(labels["unit_headers"])
    for cell in units[1]:
        cell.font = Font(bold=True)
    for row in content["units"]:
        units.append(_unit_cells(row))
    units.column_dimensions["B"].width = 26
    for name in ("red", "yellow"):
        warn = book.create_sheet({"red": _("Red"), "yellow": _("Yellow")}[name])
        warn.append(labels["warning_headers"])
        for item in content[name]["items"]:
            warn.append(_warning_cells(item))
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
        draw.text((left + bar_width + 10, y + 4), percent(row["resolve_rate"]), font=small,
                  fill="#1f2933")  # fmt: skip
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
    draw.text((ox + 160, oy + h + 36), "■ " + labels["chart_resolved"], font=small,
              fill="#1d4e89")  # fmt: skip
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
