import pytest

from qingdan.problems import actions
from qingdan.problems.models import Category, Channel


@pytest.fixture
def category(db):
    # Made by a data migration; transactional tests flush it, hence get_or_create.
    category, _created = Category.objects.get_or_create(
        code="utilities",
        defaults={
            "name": "水电气",
            "sign_days": 1,
            "completion_days": 5,
            "urgent_completion_days": 2,
        },
    )
    return category  # 1 working day to sign, 5 to complete, 2 if urgent


@pytest.fixture
def make_problem(cast, category):
    """Raise a problem for Acme and take it through the first steps as asked."""

    def make(upto: str = "submitted", *, enterprise=None, title="园区线路频繁跳闸", **assign):
        contact = cast.acme_contact if enterprise in (None, cast.acme) else cast.globex_contact
        problem = actions.raise_problem(
            actor=contact,
            enterprise=enterprise or cast.acme,
            title=title,
            description="厂区 10kV 线路本月跳闸三次，影响生产。",
            category=category,
            channel=Channel.EXCHANGE_DAY,
        )
        if upto == "submitted":
            return problem
        actions.accept(problem, actor=cast.secretariat)
        if upto == "accepted":
            return problem
        assign.setdefault("lead_unit", cast.power)
        actions.assign(problem, actor=cast.secretariat, **assign)
        if upto == "assigned":
            return problem
        actions.sign_for(problem, actor=cast.power_officer)
        if upto == "in_progress":
            return problem
        actions.complete(problem, actor=cast.power_officer, report="已更换故障开关。")
        assert upto == "resolved"
        return problem

    return make
