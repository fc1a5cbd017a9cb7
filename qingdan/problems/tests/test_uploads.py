"""Upload bounds (per request, per file name) and how stored uploads are served back."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from conftest import make_user
from qingdan.problems.attachments import storage_name
from qingdan.problems.models import Attachment, Problem

pytestmark = pytest.mark.django_db


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 90, 200)).save(out, "PNG")
    return out.getvalue()


PDF_WITH_JS = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction 3 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"3 0 obj<</S/JavaScript/JS(app.alert('x'))>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def raise_with(client, category, *files):
    return client.post(
        reverse("problems:new"),
        {
            "title": "厂区停电",
            "description": "昨晚停电两小时",
            "category": category.code,
            "channel": "online",
            "urgency": "normal",
            "files": list(files),
        },
    )


# --- Per-request cap -------------------------------------------------------------------------


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body of an over-large request was read")

    readline = read


def test_an_over_large_body_is_refused_with_413_before_it_is_read(client, cast, settings):
    settings.QINGDAN = {**settings.QINGDAN, "REQUEST_MAX_BYTES": 1024 * 1024}
    client.force_login(cast.acme_contact)
    huge = {"CONTENT_LENGTH": str(900 * 1024 * 1024), "wsgi.input": Unreadable()}
    page = client.generic("POST", reverse("problems:new"), b"", "multipart/form-data", **huge)
    assert page.status_code == 413 and "上传" in page.content.decode()
    api = client.generic("POST", "/api/v1/problems", b"", "application/json", **huge)
    assert api.status_code == 413 and api.json()["error"]["code"] == "too_large"
    open311 = client.generic("POST", "/open311/v2/requests.json", b"", "text/plain", **huge)
    assert open311.status_code == 413 and open311.json()[0]["code"] == 413
    xml = client.generic("POST", "/open311/v2/requests.xml", b"", "text/plain", **huge)
    assert xml.status_code == 413 and b"<code>413</code>" in xml.content
    assert not Problem.objects.exists()


def test_a_real_upload_over_the_request_cap_changes_nothing(client, cast, category, settings):
    settings.QINGDAN = {**settings.QINGDAN, "REQUEST_MAX_BYTES": 64 * 1024}
    client.force_login(cast.acme_contact)
    big = SimpleUploadedFile("大图.png", png() + b"\0" * 100_000, content_type="image/png")
    response = raise_with(client, category, big)
    assert response.status_code == 413
    assert not Problem.objects.exists() and not Attachment.objects.exists()


# --- File names ------------------------------------------------------------------------------


def test_storage_names_fit_the_file_system_and_keep_the_extension():
    long_name = "关于园区供电线路频繁跳闸影响正常生产的情况说明及现场照片" * 6 + ".pdf"
    assert len(long_name.encode()) > 255
    short = storage_name(long_name)
    assert short.endswith(".pdf") and len(short.encode()) <= 150
    assert short.startswith("关于园区供电线路")
    short.encode().decode()  # cut between characters, never inside one
    assert storage_name("../../etc/passwd") == "passwd"
    assert storage_name("a\x00b\nc.png") == "abc.png"
    assert storage_name("") == "file"


def test_a_file_name_over_255_bytes_is_stored_shortened_not_a_500(client, cast, category):
    client.force_login(cast.acme_contact)
    name = "现场照片" * 30 + ".png"  # 360 bytes in UTF-8
    response = raise_with(client, category, SimpleUploadedFile(name, png()))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.name.endswith(".png") and len(attachment.name.encode()) <= 150
    assert len(attachment.file.name.rsplit("/", 1)[-1].encode()) <= 255
    assert client.get(attachment.get_absolute_url()).status_code == 200


# --- Serving ---------------------------------------------------------------------------------


def stored(problem, data: bytes, name: str, content_type: str) -> Attachment:
    return Attachment.objects.create(
        problem=problem,
        file=SimpleUploadedFile(name, data),
        name=name,
        content_type=content_type,
        size=len(data),
        created=problem.created,
    )


def test_attachments_are_downloads_except_real_images(client, cast, make_problem):
    problem = make_problem("submitted")
    client.force_login(cast.acme_contact)
    photo = client.get(stored(problem, png(), "现场.png", "image/png").get_absolute_url())
    assert photo["Content-Type"] == "image/png"
    assert photo["Content-Disposition"].startswith("inline")
    assert photo["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in photo["Content-Security-Policy"]
    polyglot = jpeg() + b"<html><body><script>alert(document.cookie)</script></body></html>"
    trap = client.get(stored(problem, polyglot, "photo.jpg", "image/jpeg").get_absolute_url())
    assert trap["Content-Disposition"].startswith("attachment")
    assert trap["X-Content-Type-Options"] == "nosniff"
    pdf = client.get(
        stored(problem, PDF_WITH_JS, "report.pdf", "application/pdf").get_absolute_url()
    )
    assert pdf["Content-Disposition"].startswith("attachment")
    assert pdf["X-Content-Type-Options"] == "nosniff"
    assert b"".join(pdf.streaming_content) == PDF_WITH_JS
    fake = client.get(stored(problem, b"not a png", "x.png", "image/png").get_absolute_url())
    assert fake["Content-Disposition"].startswith("attachment")
    real_jpeg = client.get(stored(problem, jpeg(), "a.jpg", "image/jpeg").get_absolute_url())
    assert real_jpeg["Content-Disposition"].startswith("inline")


def test_milestone_evidence_long_name_polyglot_is_stored_short_and_downloaded(client, cast):
    from qingdan.challenges import actions
    from qingdan.challenges.tests.test_challenges import apply, later

    team = make_user("t-team", "team", name="电力团队")
    draft = actions.create(
        actor=cast.secretariat,
        title="园区智能电网改造",
        goal="降低停电时间",
        owner_unit=cast.power,
        application_deadline=later(10),
        delivery_deadline=later(120),
        support_funds_wan_yuan="10.00",
        enterprises=[cast.acme],
        criteria=[{"name": "方案", "weight": 100}],
    )
    actions.publish(draft, actor=cast.secretariat)
    chosen = apply(draft, team, "团队")
    actions.start_review(draft, actor=cast.secretariat)
    actions.select(draft, actor=cast.secretariat, application_id=chosen.pk)
    actions.sign_letter(draft, actor=team)
    milestone = draft.milestones.first()
    client.force_login(team)
    polyglot = jpeg() + b"<script>alert(1)</script>"
    response = client.post(
        reverse("challenges:act", args=[draft.code, "report_milestone"]),
        {
            "version": draft.version,
            "milestone_id": milestone.pk,
            "report": "完成",
            "evidence": SimpleUploadedFile("验收材料" * 40 + ".jpg", polyglot),
        },
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.evidence_name.endswith(".jpg")
    assert len(milestone.evidence_name.encode()) <= 150
    download = client.get(reverse("challenges:evidence", args=[draft.code, milestone.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
