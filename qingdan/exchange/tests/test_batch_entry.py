"""Quick entry that helps (issue 16): a refusal shows every typed row again with the bad cells
marked (nothing saved, no "back" that loses the input); enterprises are suggested from any part
of the name or the start of the credit code."""

from datetime import date

import pytest
from django.urls import reverse

from qingdan.exchange import actions
from qingdan.exchange.suggest import suggest_enterprises
from qingdan.problems.models import Problem, ProblemEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(cast, category):
    return actions.record_exchange_day(
        actor=cast.secretariat, day=date(2026, 11, 23), chair="党工委书记"
    )


def test_a_refused_batch_keeps_every_typed_row_and_marks_the_bad_cells(client, cast, day):
    client.force_login(cast.secretariat)
    data = {
        "enterprise-0": cast.acme.name,
        "title-0": "好的一行",
        "description-0": "第一行描述",
        "category-0": "水电气",
        "enterprise-3": "不存在的公司",
        "title-3": "坏的一行",
        "description-3": "第四行描述",
        "category-3": "水电气",
    }
    response = client.post(reverse("exchange:batch", args=[day.date]), data)
    assert response.status_code == 400
    html = response.content.decode()
    for value in ("好的一行", "第一行描述", "不存在的公司", "坏的一行", "第四行描述"):
        assert f'value="{value}"' in html, value
    # The bad cell is the enterprise of the fourth row, where it was typed.
    assert 'name="enterprise-3" value="不存在的公司"' in html
    marked = html.split('name="enterprise-3"', 1)[1].split(">", 1)[0]
    assert 'aria-invalid="true"' in marked
    assert 'aria-invalid="true"' not in html.split('name="enterprise-0"', 1)[1].split(">", 1)[0]
    assert "← 返回" not in html
    assert not Problem.objects.exists() and not ProblemEvent.objects.exists()


def test_enterprises_are_suggested_from_any_part_of_the_name_or_the_code(client, cast):
    assert [e.name for e in suggest_enterprises("甲电子")] == [cast.acme.name]
    assert [e.name for e in suggest_enterprises(cast.globex.credit_code[:16])] == [cast.globex.name]
    assert {e.name for e in suggest_enterprises("湖南")} == {cast.acme.name, cast.globex.name}
    assert suggest_enterprises("a") == []
    client.force_login(cast.secretariat)
    options = client.get(reverse("exchange:enterprise_suggestions"), {"enterprise-2": "新材料"})
    assert options.status_code == 200
    assert cast.globex.name in options.content.decode()
    assert cast.acme.name not in options.content.decode()


@pytest.mark.parametrize("who", ["leader", "power_officer", "acme_contact"])
def test_only_the_secretariat_gets_suggestions(client, cast, who):
    client.force_login(getattr(cast, who))
    response = client.get(reverse("exchange:enterprise_suggestions"), {"q": "湖南"})
    assert response.status_code == 403
