"""交办单 and 督办通知书: numbered from the pattern and a yearly sequence, rendered once (PDF and
Word), stored, never regenerated; only for those who may see the task (not enterprises)."""

import io
import shutil
import subprocess
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from docx import Document

from qingdan.lib import errors
from qingdan.problems import actions, documents
from qingdan.problems.models import IssuedDocument

BEIJING = ZoneInfo("Asia/Shanghai")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils"),
]
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=BEIJING)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = settings.STORAGES | {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    }


def pdf_text(data: bytes) -> str:
    done = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return "".join(done.stdout.decode().split())  # line breaks and letter-spacing dropped


def qr_in_pdf_links_to(data: bytes, problem, folder) -> bool:
    """The PDF's picture is, pixel for pixel, the QR code of the task page's address (no QR
    decoder is installed: the code is compared with the one segno makes for the address)."""
    from PIL import Image

    source = folder / "document.pdf"
    source.write_bytes(data)
    subprocess.run(["pdfimages", "-png", str(source), str(folder / "img")], check=True)
    expected = Image.open(io.BytesIO(documents.qr_bytes(documents.task_url(problem))))
    expected = expected.convert("L")
    for found in sorted(folder.glob("img-*.png")):
        image = Image.open(found).convert("L")
        if image.size == expected.size and image.tobytes() == expected.tobytes():
            return True
    return False


def test_assignment_slip_is_numbered_rendered_and_stored_once(make_problem, cast, client, tmp_path):
    with time_machine.travel(MONDAY):
        problem = make_problem(
            "assigned", co_units=[(cast.water, "配合排查管线")], division="负责抢修"
        )
        document = documents.issue(problem, actor=cast.secretariat, kind="assignment")
        again = documents.issue(problem, actor=cast.secretariat, kind="assignment")
    assert again.pk == document.pk and IssuedDocument.objects.count() == 1
    assert document.number == "经开营商交〔2026〕1号"
    assert problem.events.filter(action="issue_document").count() == 1
    event = problem.events.get(action="issue_document")
    assert event.payload["number"] == document.number and event.actor == cast.secretariat
    text = pdf_text(document.pdf.read())
    for expected in (
        "经开区营商环境服务办公室",
        "经开营商交〔2026〕1号",
        problem.number,
        "供电公司",
        "自来水公司",
        "配合排查管线",
        "2026年11月30日",
        "2026年11月23日",
        "—1—",
    ):
        assert expected in text, expected
    pdf_bytes = document.pdf.open("rb").read()
    assert qr_in_pdf_links_to(pdf_bytes, problem, tmp_path)  # the QR code of the task page
    word = Document(io.BytesIO(document.docx.open("rb").read()))
    body = "\n".join(p.text for p in word.paragraphs)
    assert "经开营商交〔2026〕1号" in body and "2026年11月30日" in body
    assert word.core_properties.language == "zh-CN"
    assert word.inline_shapes  # the QR code picture
    # Downloads: the stored file, for those who may see the task.
    client.force_login(cast.power_officer)
    url = reverse("problems:document", args=[problem.number, document.pk, "pdf"])
    assert client.get(url).status_code == 200
    for outsider in (cast.acme_contact, cast.globex_contact):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def test_reassignment_gets_a_new_number_and_the_sequence_is_yearly(make_problem, cast):
    with time_machine.travel(MONDAY):
        problem = make_problem("assigned")
        first = documents.issue(problem, actor=cast.secretariat, kind="assignment")
        actions.reassign(problem, actor=cast.secretariat, lead_unit=cast.water, reason="职责")
        second = documents.issue(problem, actor=cast.secretariat, kind="assignment")
    assert (first.sequence, second.sequence) == (1, 2) and first.number != second.number
    with time_machine.travel(datetime(2027, 1, 5, 9, 0, tzinfo=BEIJING)):
        other = make_problem("assigned", title="明年的")
        third = documents.issue(other, actor=cast.secretariat, kind="assignment")
    assert third.number == "经开营商交〔2027〕1号"


def test_supervision_notice_has_its_own_sequence_and_reply_date(make_problem, cast, settings):
    settings.QINGDAN = settings.QINGDAN | {"SUPERVISION_NUMBER": "督字〔{year}〕{seq:03d}号"}
    with time_machine.travel(MONDAY):
        problem = make_problem("in_progress")
        with pytest.raises(errors.InvalidInput):
            documents.issue(problem, actor=cast.secretariat, kind="supervision")
        actions.supervise(
            problem, actor=cast.leader, reply_due=date(2026, 11, 27), demand="三日内说明进展"
        )
        notice = documents.issue(problem, actor=cast.secretariat, kind="supervision")
    assert notice.number == "督字〔2026〕001号"
    text = pdf_text(notice.pdf.read())
    assert "督办通知书" in text and "2026年11月27日" in text and "三日内说明进展" in text
    assert problem.supervisions.get().document_number == notice.number


def test_only_the_secretariat_issues_and_nothing_is_written_when_refused(
    make_problem, cast, client
):
    with time_machine.travel(MONDAY):
        problem = make_problem("assigned")
        for person in (cast.power_officer, cast.leader):
            with pytest.raises(errors.NotAllowed):
                documents.issue(problem, actor=person, kind="assignment")
        client.force_login(cast.water_officer)
        url = reverse("problems:issue_document", args=[problem.number, "assignment"])
        assert client.post(url).status_code == 404
        api = f"/api/v1/problems/{problem.number}/documents"
        assert (
            client.post(api, {"kind": "assignment"}, content_type="application/json").status_code
            == 404
        )
        client.force_login(cast.acme_contact)
        assert client.post(url).status_code == 404
        client.force_login(cast.secretariat)
        answer = client.post(api, {"kind": "assignment"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["number"] == "经开营商交〔2026〕1号"
    assert IssuedDocument.objects.count() == 1
