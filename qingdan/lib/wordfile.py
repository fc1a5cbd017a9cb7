"""Word files laid out as Chinese official documents (GB/T 9704-2012), one helper for every app.

``OfficialDocument`` starts an A4 document with the standard margins, 仿宋 三号 body text, 黑体
headings, a red issuing-office header above a real red rule (a paragraph border, not typed
dashes), page numbers in the footer ("— 1 —"), and core properties that tell the truth: the
issuing office as creator, the time it was made, the language zh-CN. Callers add paragraphs and
tables, then ``to_bytes()``.
"""

import io
from datetime import datetime

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from qingdan.lib import clock

RED = (0xC0, 0x00, 0x00)
BODY_FONT = "仿宋"  # FangSong; 仿宋_GB2312 where installed is the same face
HEADING_FONT = "黑体"  # SimHei
TITLE_FONT = "方正小标宋简体"  # the title face offices use; Word falls back to 宋体
LANGUAGE = "zh-CN"
SIZES = {"初号": 42, "二号": 22, "三号": 16, "四号": 14, "小四": 12, "五号": 10.5}

CENTER = WD_ALIGN_PARAGRAPH.CENTER
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
LEFT = WD_ALIGN_PARAGRAPH.LEFT


def _set_language(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), LANGUAGE)


def _fonts(run, name: str) -> None:
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attribute), name)


class OfficialDocument:
    def __init__(self, *, title: str, creator: str, created: datetime | None = None):
        self.document = Document()
        section = self.document.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        normal = self.document.styles["Normal"]
        normal.font.name = BODY_FONT
        normal.font.size = Pt(SIZES["三号"])
        rpr = normal.element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = OxmlElement("w:rFonts")
            rpr.insert(0, rfonts)
        rfonts.set(qn("w:eastAsia"), BODY_FONT)
        _set_language(rpr)
        self._page_numbers(section)
        when = created or clock.now()
        props = self.document.core_properties
        props.title = title
        props.author = creator
        props.last_modified_by = creator
        props.created = when
        props.modified = when
        for stale in props._element.findall(qn("cp:lastPrinted")):  # the template's 2013 date
            props._element.remove(stale)
        props.revision = 1
        props.language = LANGUAGE
        props.comments = ""
        props.keywords = ""
        props.subject = ""
        props.category = ""

    # --- building blocks ---------------------------------------------------------------

    def paragraph(
        self,
        text: str = "",
        *,
        font: str = BODY_FONT,
        size: float = SIZES["三号"],
        bold: bool = False,
        align=None,
        colour=None,
        indent: bool = False,
    ):
        p = self.document.add_paragraph()
        if text:
            self.run(p, text, font=font, size=size, bold=bold, colour=colour)
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        return p

    def run(
        self, paragraph, text: str, *, font=BODY_FONT, size=SIZES["三号"], bold=False, colour=None
    ):
        run = paragraph.add_run(text)
        _fonts(run, font)
        run.font.size = Pt(size)
        run.font.bold = bold
        if colour:
            run.font.color.rgb = RGBColor(*colour)
        return run

    def red_header(self, issuer: str, number: str = "") -> None:
        """The issuing office in red, the document number, and the red rule under them."""
        self.paragraph(issuer, font=TITLE_FONT, size=SIZES["二号"] + 4, align=CENTER, colour=RED)
        p = self.paragraph(number, size=SIZES["三号"], align=CENTER)
        self.red_rule(p)

    def red_rule(self, paragraph=None) -> None:
        """A red bottom border on the paragraph (GB/T 9704's 版头中的分隔线)."""
        p = paragraph if paragraph is not None else self.document.add_paragraph()
        ppr = p._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        bottom.set(qn("w:val"), "single")
        bottom.set(qn("w:sz"), "18")  # eighths of a point: 2.25 pt
        bottom.set(qn("w:space"), "4")
        bottom.set(qn("w:color"), "{:02X}{:02X}{:02X}".format(*RED))
        borders.append(bottom)
        ppr.append(borders)

    def title(self, text: str) -> None:
        self.paragraph(text, font=TITLE_FONT, size=SIZES["二号"], align=CENTER)

    def heading(self, text: str) -> None:
        self.paragraph(text, font=HEADING_FONT, size=SIZES["三号"])

    def table(self, headers, rows, *, size: float = SIZES["五号"]):
        t = self.document.add_table(rows=1, cols=len(headers))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(t.rows[0].cells, headers, strict=True):
            cell.text = ""
            self.run(cell.paragraphs[0], str(text), font=HEADING_FONT, size=size)
        for row in rows:
            for cell, text in zip(t.add_row().cells, row, strict=True):
                cell.text = ""
                self.run(cell.paragraphs[0], "" if text is None else str(text), size=size)
        return t

    def picture(self, data: bytes, width_cm: float = 15.5) -> None:
        self.document.add_picture(io.BytesIO(data), width=Cm(width_cm))

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()

    # --- page numbers --------------------------------------------------------------------

    def _page_numbers(self, section) -> None:
        p = section.footer.paragraphs[0]
        p.alignment = CENTER
        self.run(p, "— ", size=SIZES["四号"])
        run = self.run(p, "", size=SIZES["四号"])
        for kind, text in (
            ("begin", None),
            (None, " PAGE "),
            ("separate", None),
            (None, "1"),
            ("end", None),
        ):
            if kind:
                field = OxmlElement("w:fldChar")
                field.set(qn("w:fldCharType"), kind)
                run._r.append(field)
            elif text == " PAGE ":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = text
                run._r.append(instr)
            else:
                value = OxmlElement("w:t")
                value.text = text
                run._r.append(value)
        self.run(p, " —", size=SIZES["四号"])
