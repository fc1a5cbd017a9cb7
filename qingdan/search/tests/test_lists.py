"""The search box of the challenge board and the project ledger: every word must match, within
what the person may see."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from qingdan.challenges import actions as challenge_actions
from qingdan.lib import clock
from qingdan.projects.models import Project

pytestmark = pytest.mark.django_db


def challenge(cast, title, goal, publish=True):
    found = challenge_actions.create(
        actor=cast.secretariat,
        title=title,
        goal=goal,
        owner_unit=cast.power,
        application_deadline=clock.today() + timedelta(days=20),
        delivery_deadline=clock.today() + timedelta(days=200),
    )
    if publish:
        challenge_actions.publish(found, actor=cast.secretariat)
    return found


def test_challenge_board_search_keeps_drafts_out_of_sight(client, cast):
    grid = challenge(cast, "智能配电网改造", "解决线路跳闸问题")
    draft = challenge(cast, "配电房跳闸治理", "草稿阶段", publish=False)
    challenge(cast, "技能人才定向培养", "三年培养一千名技工")
    client.force_login(cast.secretariat)
    response = client.get(reverse("challenges:list"), {"q": "跳闸"})
    codes = [c.code for c in response.context["challenges"]]
    assert codes == [draft.code, grid.code]  # the title hit first
    assert "配电房<mark>跳闸</mark>治理" in response.content.decode()
    client.force_login(cast.acme_contact)
    response = client.get(reverse("challenges:list"), {"q": "跳闸 线路"})
    assert [c.code for c in response.context["challenges"]] == [grid.code]
    public = client.get(reverse("public:challenges"), {"q": "跳闸"})
    assert [c.code for c in public.context["challenges"]] == [grid.code]


def test_project_ledger_search_within_the_persons_projects(client, cast):
    own = Project.objects.create(
        name="年产百万套汽车线束项目",
        investor=cast.acme,
        industry="auto_parts",
        amount_wan_yuan=Decimal("5000"),
        responsible_unit=cast.power,
    )
    Project.objects.create(
        name="新材料汽车线束配套项目",
        investor=cast.globex,
        industry="new_materials",
        amount_wan_yuan=Decimal("3000"),
        responsible_unit=cast.water,
    )
    client.force_login(cast.acme_contact)
    response = client.get(reverse("projects:list"), {"q": "线束"})
    assert [p.pk for p, _state in response.context["rows"]] == [own.pk]
    assert "汽车<mark>线束</mark>" in response.content.decode()
    client.force_login(cast.leader)
    response = client.get(reverse("projects:list"), {"q": "线束 甲电子"})  # investor's name
    assert [p.pk for p, _state in response.context["rows"]] == [own.pk]
    response = client.get(reverse("projects:list"), {"q": "线束"})
    assert len(response.context["rows"]) == 2
