"""Two editions, one redaction rule, numbers as numbers; the hand-computed week (see
test_hand_computed.py) published and read back from every file of both editions and the API."""

import io
import json
import subprocess

import pytest
import time_machine
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from qingdan.api.models import issue_token
from qingdan.bulletins import actions
from qingdan.bulletins.render import _unit_cells
from qingdan.bulletins.tests.test_hand_computed import AS_OF, WEEK, week  # noqa: F401

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "b.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout.replace("\n", "")


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    section = document.sections[0]
    parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    parts += [document.core_properties.title or "", document.core_properties.subject or ""]
    return "\n".join(parts)


def xlsx_text(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data))
    return "\n".join(
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )


def text_of(kind: str, data: bytes, tmp_path) -> str:
    if kind == "pdf":
        return pdf_text(data, tmp_path)
    if kind == "docx":
        return docx_text(data)
    if kind == "xlsx":
        return xlsx_text(data)
    return data.decode()


@pytest.fixture
def published(week, cast):  # noqa: F811
    with time_machine.travel(AS_OF, tick=False):
        draft = actions.generate_draft(WEEK, actor=cast.secretariat)
        return actions.publish(draft, actor=cast.secretariat, confirm=True)


def test_every_public_file_withholds_the_name_every_internal_file_shows_it(
    published, cast, client, tmp_path
):
    hidden = cast.globex.name  # its only problem (P11) asked not to be named
    for kind in ("html", "pdf", "docx", "xlsx"):
        public = text_of(kind, actions.render_file(published, kind, public=True), tmp_path)
        internal = text_of(kind, actions.render_file(published, kind, public=False), tmp_path)
        assert hidden not in public, kind
        assert "公开版" in public and "内部版" not in public, kind
        assert hidden in internal and "内部版" in internal, kind
        assert "经开营商通〔2026〕1号" in public, kind
        # What anonymous visitors download is the public edition, as stored.
        url = reverse("public:bulletin_file", args=[WEEK, 1, kind])
        response = client.get(url)
        assert response.status_code == 200
        assert response.content == actions.render_file(published, kind, public=True)
        api = client.get(f"/api/v1/bulletins/{WEEK.isoformat()}/v1/file.{kind}")
        assert api.status_code == 200 and api.content == response.content
    page = client.get(published.get_public_url()).content.decode()
    assert hidden not in page and "公开版" in page
    listing = json.dumps(client.get("/api/v1/bulletins").json(), ensure_ascii=False)
    assert hidden not in listing and "某电子企业" in listing
    one = client.get(f"/api/v1/bulletins/{WEEK.isoformat()}/v1").json()
    assert hidden not in json.dumps(one, ensure_ascii=False) and one["edition"] == "public"


def test_staff_get_the_internal_edition_and_outsiders_nothing(published, cast, client):
    client.force_login(cast.power_officer)
    internal = client.get(reverse("bulletins:download", args=[WEEK, 1, "xlsx"]))
    assert cast.globex.name in xlsx_text(internal.content)
    public = client.get(reverse("bulletins:download", args=[WEEK, 1, "xlsx"]) + "?edition=public")
    assert cast.globex.name not in xlsx_text(public.content)
    client.force_login(cast.acme_contact)
    assert client.get(reverse("bulletins:download", args=[WEEK, 1, "xlsx"])).status_code == 404


def test_excel_holds_numbers_with_formats_and_word_pdf_print_the_same(published, tmp_path):
    book = load_workbook(io.BytesIO(actions.render_file(published, "xlsx")))
    units = book.worksheets[1]
    headers = [cell.value for cell in units[1]]
    rows = {r[1].value: r for r in units.iter_rows(min_row=2) if r[1].value}
    power = rows["供电公司"]
    col = {name: headers.index(name) for name in headers}
    assert power[col["按期办结率"]].value == 0.75
    assert power[col["按期办结率"]].number_format == "0.00%"
    assert power[col["得分"]].value == 82.5 and power[col["得分"]].number_format == "0.00"
    assert power[col["排名"]].value == 1 and power[col["计分件数"]].value == 4
    assert rows["燃气公司"][col["按期办结率"]].value == "—"  # nothing due: no rate
    assert rows["公交公司"][col["排名"]].value == "—"  # below the minimum: unranked
    # Word and PDF print exactly these values, for every unit.
    word = docx_text(actions.render_file(published, "docx"))
    pdf = pdf_text(actions.render_file(published, "pdf"), tmp_path)
    document = Document(io.BytesIO(actions.render_file(published, "docx")))
    unit_table = next(t for t in document.tables if t.rows[0].cells[0].text == "排名")
    printed = [[cell.text for cell in row.cells] for row in unit_table.rows[1:]]
    assert printed == [_unit_cells(row) for row in published.content["units"]]
    squeezed = pdf.replace(" ", "")
    for row in published.content["units"]:
        for cell in _unit_cells(row):
            assert cell in word
            if cell.endswith("%") or "." in cell:  # every rate and score, as printed
                assert cell in squeezed, cell
    assert "82.50" in pdf and "75.00%" in pdf
    # The formula, weights and minimum under the ranking, in every format.
    formula = published.content["scoring"]["formula"]
    # (the PDF wraps long lines: compare without spaces and line breaks)
    assert formula in word and "".join(formula.split()) in "".join(pdf.split())
    assert formula in xlsx_text(actions.render_file(published, "xlsx"))


def test_api_figures_equal_the_published_bulletin(published, cast, client):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(cast.leader, name='t')[1]}"}
    body = client.get(f"/api/v1/bulletins/{WEEK.isoformat()}/v1", **auth).json()
    assert body["content"]["overall"] == published.content["overall"]
    assert body["content"]["units"] == published.content["units"]
    assert body["edition"] == "public" and body["document_number"] == "经开营商通〔2026〕1号"
    with time_machine.travel(AS_OF, tick=False):
        live = client.get(f"/api/v1/figures/week/{WEEK.isoformat()}", **auth).json()
    assert live["overall"] == {
        k: v for k, v in published.content["overall"].items() if k in live["overall"]
    }
    assert {u["unit"]: u["figures"] for u in live["units"]} == {
        u["unit"]: {k: u[k] for k in live["units"][0]["figures"]}
        for u in published.content["units"]
    }
    enterprise = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(cast.acme_contact, name='t')[1]}"}
    assert client.get(f"/api/v1/figures/week/{WEEK.isoformat()}", **enterprise).status_code == 403
