"""一企一档: visibility (an enterprise sees only its own record), keeping by the secretariat
with history, figures, Excel import/export, visits, and the API with the same rules."""

import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from qingdan.api.models import issue_token
from qingdan.core.models import RecordChange
from qingdan.enterprises import actions, importing
from qingdan.enterprises.models import Tag, YearlyFigures
from qingdan.lib.errors import InvalidInput, NotAllowed
from qingdan.problems.models import ProblemEvent

pytestmark = pytest.mark.django_db


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user, name='test')[1]}"}


def detail(enterprise):
    return reverse("enterprises:detail", args=[enterprise.credit_code])


def test_enterprise_sees_its_own_record_and_not_anothers(client, cast):
    client.force_login(cast.acme_contact)
    assert client.get(detail(cast.acme)).status_code == 200
    assert client.get(detail(cast.globex)).status_code == 404
    assert client.get(reverse("enterprises:list")).url == detail(cast.acme)
    assert client.get(reverse("enterprises:edit", args=[cast.acme.credit_code])).status_code == 403


@pytest.mark.parametrize("who", ["secretariat", "leader", "power_officer", "power_head"])
def test_staff_roles_see_every_record(client, cast, who):
    client.force_login(getattr(cast, who))
    page = client.get(reverse("enterprises:list"))
    assert cast.acme.name in page.content.decode() and cast.globex.name in page.content.decode()
    assert client.get(detail(cast.globex)).status_code == 200


def test_anonymous_sees_no_record(client, cast):
    assert client.get(detail(cast.acme)).status_code == 302
    assert client.get("/api/v1/enterprise-records").status_code == 401


def test_secretariat_keeps_the_record_with_history(client, cast):
    client.force_login(cast.secretariat)
    response = client.post(
        reverse("enterprises:edit", args=[cast.acme.credit_code]),
        {
            "name": cast.acme.name,
            "industry": "electronics",
            "industry_code": "C3976",
            "size_class": "medium",
            "registered_capital_wan_yuan": "5000",
            "address": "科技路1号",
            "zone": "高新区",
            "tags": ["high_tech", "specialised"],
            "grade": "A",
            "commissioner": cast.power_officer.pk,
        },
    )
    assert response.status_code == 302
    profile = actions.profile_of(cast.acme)
    profile.refresh_from_db()
    assert profile.industry_code == "C3976" and profile.grade == "A"
    assert profile.commissioner == cast.power_officer
    assert profile.all_tags() == [Tag.HIGH_TECH, Tag.SPECIALISED]
    change = RecordChange.objects.get(model="enterprises.enterpriseprofile")
    assert change.actor == cast.secretariat and change.changes["grade"] == [None, "A"]


def test_bad_input_changes_nothing(client, cast):
    client.force_login(cast.secretariat)
    page = client.post(
        reverse("enterprises:edit", args=[cast.acme.credit_code]),
        {
            "name": cast.acme.name,
            "industry": "electronics",
            "industry_code": "电子",
            "tags": ["nonsense"],
        },
    )
    assert page.status_code == 200 and "GB/T 4754" in page.content.decode()
    assert not RecordChange.objects.exists()


def test_unit_officer_cannot_keep_records(cast):
    with pytest.raises(NotAllowed):
        actions.save_record(cast.acme, actor=cast.power_officer, values={"grade": "B"})
    assert not RecordChange.objects.exists()


def test_yearly_figures_compute_per_mu(cast):
    actions.save_figures(
        cast.acme,
        actor=cast.secretariat,
        year=2025,
        values={
            "output_wan_yuan": Decimal("30000"),
            "tax_wan_yuan": Decimal("1500"),
            "rd_wan_yuan": Decimal("900"),
            "employees": 300,
            "land_mu": Decimal("50"),
        },
    )
    row = YearlyFigures.objects.get(enterprise=cast.acme, year=2025)
    assert row.tax_per_mu == Decimal("30.00") and row.output_per_mu == Decimal("600.00")
    assert row.rd_share_percent == Decimal("3.00")
    assert RecordChange.objects.filter(model="enterprises.yearlyfigures").count() == 1
    row.land_mu = None
    assert row.tax_per_mu is None  # missing land: no figure, not zero


def test_contact_with_phone_is_shown_and_kept(client, cast):
    client.force_login(cast.secretariat)
    client.post(
        reverse("enterprises:add_contact", args=[cast.acme.credit_code]),
        {"name": "王经理", "phone": "0731-1234567", "is_primary": "on"},
    )
    client.force_login(cast.acme_contact)
    page = client.get(detail(cast.acme)).content.decode()
    assert "王经理" in page and 'href="tel:0731-1234567"' in page
    client.force_login(cast.secretariat)
    client.post(
        reverse("enterprises:add_contact", args=[cast.acme.credit_code]),
        {"name": "坏号码", "phone": "=HYPERLINK()"},
    )
    assert cast.acme.record_contacts.count() == 1


def test_excel_round_trip_and_all_or_nothing(cast):
    actions.save_record(
        cast.acme,
        actor=cast.secretariat,
        values={"grade": "B", "tags": ["foreign_trade"], "industry_code": "C39"},
    )
    data = importing.export_xlsx(cast.acme.__class__.objects.all())
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    assert sheet.cell(2, 1).value in (cast.acme.credit_code, cast.globex.credit_code)
    # change Acme's grade, add a formula-like address, and one bad row
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == cast.acme.credit_code:
            row[10].value = "C"
            row[6].value = "'=1+1"
    good = io.BytesIO()
    book.save(good)
    sheet.append(["91431100NOTACODE0", "坏企业", "电子信息", "", "", "", "", "", "", "", "", ""])
    bad = io.BytesIO()
    book.save(bad)
    imported, errors = importing.import_xlsx(bad.getvalue(), actor=cast.secretariat)
    assert imported == 0 and errors and errors[0].row == 4
    assert actions.profile_of(cast.acme).grade == "B"
    imported, errors = importing.import_xlsx(good.getvalue(), actor=cast.secretariat)
    assert errors == [] and imported == 2
    cast.acme.refresh_from_db()
    assert actions.profile_of(cast.acme).grade == "C"


def test_visit_item_becomes_a_problem_in_one_step(client, cast, category):
    actions.save_record(
        cast.acme, actor=cast.secretariat, values={"commissioner": cast.secretariat}
    )
    visit = actions.record_visit(
        cast.acme,
        actor=cast.secretariat,
        day=cast.acme.created.date(),
        notes="走访",
        items=["电费偏高", "申报难"],
    )
    item = visit.items.first()
    client.force_login(cast.secretariat)
    response = client.post(
        reverse("enterprises:raise_item", args=[cast.acme.credit_code, item.pk]),
        {"category": category.code},
    )
    item.refresh_from_db()
    assert item.problem is not None and response.url == item.problem.get_absolute_url()
    assert item.problem.channel == "visit" and item.problem.enterprise == cast.acme
    assert ProblemEvent.objects.filter(problem=item.problem, action="raise").exists()
    with pytest.raises(InvalidInput):
        actions.raise_from_visit(item, actor=cast.secretariat, category=category)


def test_only_the_commissioner_or_secretariat_records_visits(cast):
    with pytest.raises(NotAllowed):
        actions.record_visit(cast.acme, actor=cast.water_officer, day=cast.acme.created.date())
    actions.save_record(
        cast.acme, actor=cast.secretariat, values={"commissioner": cast.water_officer}
    )
    visit = actions.record_visit(cast.acme, actor=cast.water_officer, day=cast.acme.created.date())
    assert visit.visitor == cast.water_officer


def test_api_same_visibility_and_keeping(client, cast):
    mine = client.get("/api/v1/enterprise-records", **bearer(cast.acme_contact)).json()
    assert [e["credit_code"] for e in mine] == [cast.acme.credit_code]
    other = client.get(
        f"/api/v1/enterprise-records/{cast.globex.credit_code}", **bearer(cast.acme_contact)
    )
    assert other.status_code == 404
    body = json.dumps({"name": cast.acme.name, "industry": "electronics", "grade": "D"})
    refused = client.put(
        f"/api/v1/enterprise-records/{cast.acme.credit_code}",
        body,
        content_type="application/json",
        **bearer(cast.acme_contact),
    )
    assert refused.status_code == 403
    done = client.put(
        f"/api/v1/enterprise-records/{cast.acme.credit_code}",
        body,
        content_type="application/json",
        **bearer(cast.secretariat),
    )
    assert done.status_code == 200 and done.json()["grade"] == "D"
    figures = client.post(
        f"/api/v1/enterprise-records/{cast.acme.credit_code}/figures",
        json.dumps({"year": 2025, "tax_wan_yuan": "100", "land_mu": "8"}),
        content_type="application/json",
        **bearer(cast.secretariat),
    )
    assert figures.json()["figures"][0]["tax_per_mu"] == "12.50"


@pytest.mark.parametrize(
    ("method", "name", "extra"),
    [
        ("get", "enterprises:detail", []),
        ("get", "enterprises:edit", []),
        ("post", "enterprises:add_contact", []),
        ("post", "enterprises:delete_contact", [1]),
        ("post", "enterprises:figures", []),
        ("post", "enterprises:visit", []),
        ("post", "enterprises:raise_item", [1]),
    ],
)
def test_another_enterprise_cannot_reach_any_record_page(client, cast, method, name, extra):
    client.force_login(cast.acme_contact)
    url = reverse(name, args=[cast.globex.credit_code, *extra])
    assert getattr(client, method)(url).status_code == 404
    for path in ("", "/policy-matches"):
        api = client.get(
            f"/api/v1/enterprise-records/{cast.globex.credit_code}{path}",
            **bearer(cast.acme_contact),
        )
        assert api.status_code == 404
    assert not RecordChange.objects.exists()


def test_api_import_is_the_secretariats(client, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = importing.export_xlsx(cast.acme.__class__.objects.all())

    def upload(user):
        sheet = SimpleUploadedFile("e.xlsx", data, content_type="application/octet-stream")
        return client.post("/api/v1/enterprise-record-imports", {"file": sheet}, **bearer(user))

    assert upload(cast.acme_contact).status_code == 403
    assert upload(cast.secretariat).json() == {"imported": 2}


def test_commissioner_lists_their_enterprises_with_open_problems(client, cast, make_problem):
    make_problem("in_progress")  # Acme's, handled by the power unit
    actions.save_record(
        cast.acme, actor=cast.secretariat, values={"commissioner": cast.water_officer}
    )
    client.force_login(cast.water_officer)
    page = client.get(reverse("enterprises:list") + "?mine=1").content.decode()
    assert cast.acme.name in page and cast.globex.name not in page
    assert 'data-open="1"' in page
    client.force_login(cast.power_officer)  # not the commissioner: sees its unit's problem
    assert 'data-open="1"' in client.get(reverse("enterprises:list")).content.decode()


def test_a_unit_commissioner_turns_a_visit_item_into_a_problem(cast, category):
    actions.save_record(
        cast.acme, actor=cast.secretariat, values={"commissioner": cast.water_officer}
    )
    visit = actions.record_visit(
        cast.acme, actor=cast.water_officer, day=cast.acme.created.date(), items=["厂区路灯损坏"]
    )
    problem = actions.raise_from_visit(
        visit.items.get(), actor=cast.water_officer, category=category
    )
    assert problem.raised_by == cast.water_officer and problem.enterprise == cast.acme
    assert ProblemEvent.objects.filter(problem=problem, action="raise").exists()
    from qingdan.problems import actions as problem_actions

    with pytest.raises(NotAllowed):  # not Globex's commissioner
        problem_actions.raise_problem(
            actor=cast.water_officer,
            enterprise=cast.globex,
            title="x",
            description="y",
            category=category,
            channel="visit",
        )
