"""Records keep their history: each change by whom, when, every field before and after."""

from decimal import Decimal

import pytest

from qingdan.core.models import RecordChange
from qingdan.lib import errors
from qingdan.projects import actions
from qingdan.projects.models import Project

pytestmark = pytest.mark.django_db


def test_each_change_is_recorded_and_a_refused_one_writes_nothing(cast):
    project = actions.save_project(
        None,
        actor=cast.secretariat,
        values={
            "name": "电子产业园",
            "investor": cast.acme,
            "industry": "electronics",
            "amount_wan_yuan": Decimal("1200.00"),
            "total_investment_wan_yuan": Decimal(0),
        },
    )
    created = RecordChange.objects.get()
    assert created.action == "create" and created.actor == cast.secretariat
    assert created.changes["amount_wan_yuan"] == [None, "1200.00"]
    actions.save_project(project, actor=cast.secretariat, values={"is_key": True})
    update = RecordChange.objects.latest("id")
    assert update.action == "update" and update.changes == {"is_key": [False, True]}
    # Stages in order: production before construction started is refused, nothing written.
    from datetime import date

    with pytest.raises(errors.InvalidInput) as refused:
        actions.save_project(
            project, actor=cast.secretariat, values={"producing_on": date(2026, 5, 1)}
        )
    assert "producing_on" in refused.value.fields
    assert RecordChange.objects.count() == 2
    assert Project.objects.get().producing_on is None
    with pytest.raises(errors.NotAllowed):
        actions.save_project(project, actor=cast.power_officer, values={"is_key": False})


def test_projects_and_indicators_are_kept_through_the_api_with_the_same_rules(client, cast):
    import json

    from qingdan.api.models import issue_token
    from qingdan.projects.models import Indicator

    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(cast.secretariat, name='x')[1]}"}

    def post(url, body, method="post"):
        return getattr(client, method)(
            url, json.dumps(body), content_type="application/json", **auth
        )

    created = post(
        "/api/v1/projects",
        {
            "name": "新材料项目",
            "investor": cast.globex.pk,
            "industry": "new_materials",
            "amount_wan_yuan": "800",
        },
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    bad = post(f"/api/v1/projects/{pk}", {"producing_on": "2026-06-01"}, method="patch")
    assert bad.status_code == 400 and "producing_on" in bad.json()["error"]["fields"]
    ok = post(f"/api/v1/projects/{pk}", {"signed_on": "2026-06-01"}, method="patch")
    assert ok.status_code == 200 and ok.json()["stage"] == "signed"
    assert (
        post(
            f"/api/v1/projects/{pk}/investments",
            {"year": 2026, "month": 13, "completed_wan_yuan": "1"},
        ).status_code
        == 422
    )
    assert (
        post(
            f"/api/v1/projects/{pk}/investments",
            {"year": 2026, "month": 6, "completed_wan_yuan": "1e999999"},
        ).status_code
        == 422
    )
    Indicator.objects.create(code="output", name="规模工业总产值", unit="亿元")
    value = post(
        "/api/v1/indicators",
        {
            "indicator": "output",
            "year": 2026,
            "month": 10,
            "value": "164.56",
            "prior_year_value": "136.19",
        },
    )
    assert value.status_code == 200 and value.json()["yoy_growth_pct"] == "20.83"
    unit = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(cast.power_officer, name='y')[1]}"}
    refused = client.post(
        "/api/v1/indicators",
        json.dumps({"indicator": "output", "year": 2026, "month": 11, "value": "1"}),
        content_type="application/json",
        **unit,
    )
    assert refused.status_code == 403
    assert RecordChange.objects.filter(model="projects.indicatorvalue").count() == 1
