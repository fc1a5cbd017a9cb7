"""The secretariat keeps projects, their stages, a month's investment and a month's indicators
on pages, not in the admin (issue 16): each change a RecordChange with who and when; a bad cell
is marked, every typed value stays, and nothing is saved."""

from decimal import Decimal

import pytest
from django.urls import reverse

from qingdan.accounts.models import Industry
from qingdan.core.models import RecordChange
from qingdan.projects.demo import build_indicators
from qingdan.projects.models import IndicatorValue, MonthlyInvestment, Project

pytestmark = pytest.mark.django_db


def key_project(cast, name="智能装备产业园"):
    return Project.objects.create(
        name=name,
        investor=cast.acme,
        industry=Industry.ELECTRONICS,
        amount_wan_yuan=Decimal("12000"),
        responsible_unit=cast.power,
        is_key=True,
    )


def test_a_months_investment_for_every_key_project_at_once(client, cast):
    first, second = key_project(cast), key_project(cast, "新材料二期")
    client.force_login(cast.secretariat)
    url = reverse("projects:investment_grid") + "?year=2026&month=10"
    page = client.get(url)
    assert page.status_code == 200
    assert first.name in page.content.decode() and second.name in page.content.decode()
    saved = client.post(url, {f"p{first.pk}": "1250.50", f"p{second.pk}": ""})
    assert saved.status_code == 302
    row = MonthlyInvestment.objects.get(project=first, year=2026, month=10)
    assert row.completed_wan_yuan == Decimal("1250.50")
    assert not MonthlyInvestment.objects.filter(project=second).exists()  # empty: no change
    change = RecordChange.objects.get(model="projects.monthlyinvestment")
    assert change.actor == cast.secretariat and change.created is not None
    assert change.changes["completed_wan_yuan"][1] == "1250.50"


def test_a_bad_cell_is_marked_the_typed_values_stay_and_nothing_is_saved(client, cast):
    first, second = key_project(cast), key_project(cast, "新材料二期")
    client.force_login(cast.secretariat)
    url = reverse("projects:investment_grid") + "?year=2026&month=10"
    refused = client.post(url, {f"p{first.pk}": "980", f"p{second.pk}": "-5"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert 'value="980"' in html and 'value="-5"' in html
    assert 'aria-invalid="true"' in html and 'class="bad"' in html
    assert not MonthlyInvestment.objects.exists()
    assert not RecordChange.objects.exists()


def test_a_months_indicators_in_one_grid(client, cast):
    build_indicators(2026)
    client.force_login(cast.secretariat)
    url = reverse("projects:indicator_grid") + "?year=2026&month=12"
    page = client.get(url)
    assert page.status_code == 200
    before = RecordChange.objects.count()
    saved = client.post(url, {"v_signed_projects": "80", "p_signed_projects": "35"})
    assert saved.status_code == 302
    value = IndicatorValue.objects.get(indicator__code="signed_projects", year=2026, month=12)
    assert (value.value, value.prior_year_value) == (Decimal("80"), Decimal("35"))
    assert RecordChange.objects.count() == before + 1
    # A prior year's value without this year's is refused, and nothing is saved.
    refused = client.post(url, {"p_signed_amount": "12"})
    assert refused.status_code == 400
    assert not IndicatorValue.objects.filter(indicator__code="signed_amount", month=12).exists()


def test_a_project_and_its_stages_on_a_page(client, cast):
    client.force_login(cast.secretariat)
    values = {
        "name": "园区光伏项目",
        "investor": cast.acme.pk,
        "industry": Industry.ELECTRONICS,
        "amount_wan_yuan": "5000",
        "is_key": "on",
        "signed_on": "2026-03-02",
    }
    created = client.post(reverse("projects:new"), values)
    assert created.status_code == 302
    project = Project.objects.get(name="园区光伏项目")
    assert project.is_key and str(project.signed_on) == "2026-03-02"
    assert RecordChange.objects.filter(model="projects.project", actor=cast.secretariat).exists()
    edit = reverse("projects:edit", args=[project.pk])
    assert 'value="2026-03-02"' in client.get(edit).content.decode()  # ISO, as browsers need
    # Production before landing breaks the stages' order: refused with the reason.
    refused = client.post(edit, values | {"producing_on": "2026-04-01"})
    assert refused.status_code == 400
    project.refresh_from_db()
    assert project.producing_on is None
    unchecked = {k: v for k, v in values.items() if k != "is_key"}
    assert client.post(edit, unchecked).status_code == 302
    project.refresh_from_db()
    assert not project.is_key


@pytest.mark.parametrize("who", ["leader", "power_officer", "acme_contact"])
def test_only_the_secretariat_keeps_the_ledger(client, cast, who):
    project = key_project(cast)
    client.force_login(getattr(cast, who))
    for url in [
        reverse("projects:investment_grid"),
        reverse("projects:indicator_grid"),
        reverse("projects:new"),
        reverse("projects:edit", args=[project.pk]),
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {f"p{project.pk}": "1"}).status_code == 403, url
    assert not MonthlyInvestment.objects.exists()


def test_the_projects_menu_shows_only_to_an_enterprise_with_a_project(client, cast):
    client.force_login(cast.globex_contact)
    page = client.get(reverse("preferences")).content.decode()
    assert reverse("projects:list") not in page
    key_project(cast)  # Acme invests
    client.force_login(cast.acme_contact)
    page = client.get(reverse("preferences")).content.decode()
    assert reverse("projects:list") in page
