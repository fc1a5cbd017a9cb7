import io
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

from docx import Document

from qingdan.lib.wordfile import OfficialDocument

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _made() -> bytes:
    doc = OfficialDocument(
        title="交办单",
        creator="经开区营商环境办",
        created=datetime(2026, 11, 27, 9, 30, tzinfo=SHANGHAI),
    )
    doc.red_header("经开区营商环境办", "经开营商通〔2026〕12号")
    doc.title("关于办理企业反映问题的交办单")
    doc.heading("一、问题")
    doc.paragraph("厂区供电线路老化。", indent=True)
    doc.table(["牵头单位", "办理时限"], [["供电公司", "2026年12月4日"]])
    return doc.to_bytes()


def test_core_properties_tell_who_made_it_when_and_in_which_language():
    props = Document(io.BytesIO(_made())).core_properties
    assert props.author == "经开区营商环境办"
    assert props.last_modified_by == "经开区营商环境办"
    assert props.created.year == 2026 and props.created.month == 11
    assert props.language == "zh-CN"
    assert props.title == "交办单"


def test_the_red_rule_is_a_paragraph_border_and_the_footer_numbers_pages():
    with zipfile.ZipFile(io.BytesIO(_made())) as archive:
        body = archive.read("word/document.xml").decode()
        footers = "".join(
            archive.read(name).decode()
            for name in archive.namelist()
            if name.startswith("word/footer")
        )
        styles = archive.read("word/styles.xml").decode()
    assert '<w:bottom w:val="single"' in body and 'w:color="C00000"' in body
    assert "—" * 3 not in body  # no typed dashes for the rule
    assert "PAGE" in footers and 'w:fldCharType="begin"' in footers
    assert 'w:eastAsia="zh-CN"' in styles and "ja-JP" not in styles


def test_body_and_headings_use_the_official_faces():
    document = Document(io.BytesIO(_made()))
    texts = {p.text: p for p in document.paragraphs}
    body_run = texts["厂区供电线路老化。"].runs[0]
    heading_run = texts["一、问题"].runs[0]
    east_asia = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    assert body_run._element.rPr.rFonts.get(east_asia) == "仿宋"
    assert heading_run._element.rPr.rFonts.get(east_asia) == "黑体"
