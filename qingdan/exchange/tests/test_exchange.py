import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from qingdan.exchange import actions, importing
from qingdan.exchange.models import ImportJob
from qingdan.lib import errors
from qingdan.problems.models import Problem, ProblemEvent

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def day(cast, category):
    return actions.record_exchange_day(
        actor=cast.secretariat, day=date(2026, 11, 23), chair="党工委书记", leaders="管委会主任"
    )


def workbook(rows) -> bytes:
    return importing.template_xlsx(rows)


def good_rows(cast):
    return [
        [cast.acme.credit_code, "线路跳闸", "本月三次", "水电气", "供电公司", "紧急", "否"],
        [cast.globex.name, "招工难", "缺普工", "水电气", "", "", ""],
    ]


def test_exchange_day_on_another_day_needs_a_reason(cast):
    with pytest.raises(actions.ExchangeError) as refused:
        actions.record_exchange_day(actor=cast.secretariat, day=date(2026, 11, 25), chair="x")
    assert refused.value.errors
    day = actions.record_exchange_day(
        actor=cast.secretariat, day=date(2026, 11, 25), chair="x", date_reason="周一为节假日"
    )
    assert day.date_reason == "周一为节假日"
    with pytest.raises(errors.NotAllowed):
        actions.record_exchange_day(actor=cast.power_officer, day=date(2026, 11, 30), chair="x")


def test_batch_entry_saves_all_rows_together(client, cast, day):
    client.force_login(cast.secretariat)
    data = {
        "enterprise-0": cast.acme.name,
        "title-0": "线路跳闸",
        "description-0": "三次",
        "category-0": "水电气",
        "lead_unit-0": "供电公司",
        "enterprise-1": cast.globex.credit_code,
        "title-1": "水费高",
        "description-1": "高",
        "category-1": "水电气",
    }
    response = client.post(reverse("exchange:batch", args=[day.date]), data)
    assert response.status_code == 302
    problems = list(Problem.objects.order_by("id"))
    assert [p.title for p in problems] == ["线路跳闸", "水费高"]
    assert problems[0].exchange_day == day and problems[0].proposed_lead_unit == cast.power
    assert problems[0].channel == "exchange_day"
    assert ProblemEvent.objects.filter(action="raise").count() == 2
    assert set(day.enterprises.all()) == {cast.acme, cast.globex}


def test_batch_with_one_bad_row_saves_nothing_and_names_the_cell(client, cast, day):
    client.force_login(cast.secretariat)
    data = {
        "enterprise-0": cast.acme.name,
        "title-0": "好的一行",
        "description-0": "x",
        "category-0": "水电气",
        "enterprise-1": "不存在的公司",
        "title-1": "坏的一行",
        "description-1": "x",
        "category-1": "没有这个类别",
    }
    response = client.post(reverse("exchange:batch", args=[day.date]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "企业名称或统一社会信用代码" in page and "问题类别" in page
    assert not Problem.objects.exists() and not ProblemEvent.objects.exists()


def test_import_checks_every_row_first_and_imports_nothing_if_one_is_wrong(cast, day):
    rows = good_rows(cast) + [["", "", "描述", "未知", "不存在的单位", "很急", "也许"]]
    parsed, errors = importing.read_rows(workbook(rows))
    assert not errors
    clean, errors = importing.validate(parsed)
    assert {(e.row, e.column) for e in errors} == {
        (4, "企业名称或统一社会信用代码"),
        (4, "问题标题"),
        (4, "问题类别"),
        (4, "建议牵头单位"),
        (4, "紧急程度"),
        (4, "是否公开企业名称"),
    }
    assert not Problem.objects.exists()


def test_upload_runs_in_the_background_and_reports_each_bad_cell(
    client, cast, day, django_capture_on_commit_callbacks
):
    client.force_login(cast.secretariat)
    bad = workbook(good_rows(cast) + [[cast.acme.name, "", "x", "水电气", "", "", ""]])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("exchange:import", args=[day.date]),
            {"file": SimpleUploadedFile("list.xlsx", bad, content_type=XLSX)},
        )
    job = ImportJob.objects.get()
    assert response.url == reverse("exchange:job", args=[day.date, job.pk])
    assert job.state == "rejected"
    assert [(e["row"], e["column"]) for e in job.errors] == [(4, "问题标题")]
    page = client.get(response.url).content.decode()
    assert "问题标题" in page and not Problem.objects.exists()


def test_good_file_imports_all_rows_in_one_go(
    client, cast, day, django_capture_on_commit_callbacks
):
    client.force_login(cast.secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("exchange:import", args=[day.date]),
            {"file": SimpleUploadedFile("list.xlsx", workbook(good_rows(cast)))},
        )
    job = ImportJob.objects.get()
    assert (job.state, job.rows, job.imported) == ("done", 2, 2)
    first = Problem.objects.order_by("id").first()
    assert (first.urgency, first.may_name_publicly) == ("urgent", False)
    page = client.get(reverse("exchange:job", args=[day.date, job.pk]), HTTP_HX_REQUEST="true")
    assert "2" in page.content.decode() and "hx-trigger" not in page.content.decode()


def test_export_then_import_gives_the_same_list(client, cast, day):
    parsed, _ = importing.read_rows(workbook(good_rows(cast)))
    clean, errors = importing.validate(parsed)
    importing.import_rows(clean, exchange_day=day, actor=cast.secretariat)
    client.force_login(cast.secretariat)
    exported = client.get(reverse("exchange:export", args=[day.date])).content
    again = actions.record_exchange_day(actor=cast.secretariat, day=date(2026, 11, 30), chair="x")
    rows, errors = importing.read_rows(exported)
    clean, errors = importing.validate(rows)
    assert not errors
    importing.import_rows(clean, exchange_day=again, actor=cast.secretariat)

    def listing(exchange_day):
        return importing.export_rows(exchange_day.problems.all())

    assert listing(again) == listing(day) and len(listing(day)) == 2


def test_not_an_xlsx_file_is_a_clear_error():
    rows, errors = importing.read_rows(b"not a spreadsheet")
    assert rows == [] and "xlsx" in errors[0].message


def test_template_has_the_chinese_headings(client, cast):
    client.force_login(cast.secretariat)
    data = client.get(reverse("exchange:template")).content
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]][:2] == ["企业名称或统一社会信用代码", "问题标题"]


def test_exchange_pages_are_closed_to_enterprises_and_units(client, cast, day):
    for outsider in (cast.acme_contact, cast.power_officer):
        client.force_login(outsider)
        assert client.get(reverse("exchange:list")).status_code == 403
        assert client.get(day.get_absolute_url()).status_code == 403
        assert client.post(reverse("exchange:batch", args=[day.date]), {}).status_code == 403
    client.force_login(cast.leader)
    assert client.get(day.get_absolute_url()).status_code == 200
    assert client.post(reverse("exchange:batch", args=[day.date]), {}).status_code == 403


def test_import_command(cast, day, tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_bytes(workbook(good_rows(cast) + [["?", "t", "d", "水电气", "", "", ""]]))
    with pytest.raises(CommandError):
        call_command(
            "import_problems", str(path), "--exchange-day", "2026-11-23", "--user", "t-secretariat"
        )
    assert not Problem.objects.exists()
    path.write_bytes(workbook(good_rows(cast)))
    call_command(
        "import_problems", str(path), "--exchange-day", "2026-11-23", "--user", "t-secretariat"
    )
    assert Problem.objects.filter(exchange_day=day).count() == 2
