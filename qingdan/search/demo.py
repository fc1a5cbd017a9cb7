"""The demo park's earlier history, so routing suggestions and similar problems are useful the
first time someone runs `make run`.

``build_earlier_history`` (a builder in ``qingdan.demo.park.BUILDERS``, after the replayed year)
raises the problems of ``data/demo_history.tsv`` in the year before the replayed one, each through
the real actions: accepted, assigned (some first to a unit that returns them), signed for,
completed (most on time), rated and closed. Then it trains the routing model. Deterministic and
idempotent, like the other builders.
"""

import csv
import random
from datetime import datetime, time, timedelta
from pathlib import Path

from qingdan.accounts.models import Enterprise, Role, Unit, User
from qingdan.lib import clock
from qingdan.notifications.rules import muted
from qingdan.problems import actions, calendar
from qingdan.problems.models import Category, Channel, CloseType, ProblemEvent, Satisfaction

DATA = Path(__file__).parent / "data" / "demo_history.tsv"
WEEKS = 52  # the replayed history (qingdan/demo/history.py) covers the last 52 weeks


def corpus() -> list[dict]:
    with DATA.open(encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return list(csv.DictReader(lines, delimiter="\t"))


def _at(day, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(9, 16), rng.randint(0, 59)), tzinfo=clock.BEIJING)


def build_earlier_history(rng: random.Random) -> None:
    from qingdan.search import routing

    today = clock.today()
    start = today - timedelta(days=today.weekday(), weeks=WEEKS * 2)
    end = today - timedelta(days=today.weekday(), weeks=WEEKS + 1)
    if ProblemEvent.objects.filter(
        created__lt=datetime.combine(end + timedelta(days=7), time(0, 0), tzinfo=clock.BEIJING)
    ).exists():
        return
    secretariat = User.objects.filter(role=Role.SECRETARIAT).order_by("pk").first()
    if secretariat is None:
        return
    units = {unit.short_name: unit for unit in Unit.objects.all()}
    officers = {
        user.unit_id: user
        for user in User.objects.filter(role=Role.UNIT_OFFICER).order_by("-pk")
        if user.unit_id
    }
    contacts = {
        user.enterprise_id: user
        for user in User.objects.filter(role=Role.ENTERPRISE).order_by("-pk")
    }
    enterprises = list(Enterprise.objects.filter(pk__in=list(contacts)).order_by("pk"))
    categories = {category.code: category for category in Category.objects.all()}
    story = random.Random(rng.randint(0, 10**9))
    span = (end - start).days
    rows = corpus()
    with muted():
        for index, row in enumerate(rows * 2):
            lead = units.get(row["unit"])
            if lead is None or lead.pk not in officers or not enterprises:
                continue
            day = start + timedelta(days=(index * span) // (len(rows) * 2))
            enterprise = story.choice(enterprises)
            _story(
                story,
                row,
                day,
                lead,
                units.get(row["returned_by"]),
                enterprise,
                contacts[enterprise.pk],
                secretariat,
                officers,
                categories,
            )
    routing.train()


def _story(
    rng, row, day, lead, returned_by, enterprise, contact, secretariat, officers, categories
) -> None:
    with clock.travel(_at(day, rng)):
        problem = actions.raise_problem(
            actor=contact,
            enterprise=enterprise,
            title=row["title"],
            description=row["description"],
            category=categories[row["category"]],
            channel=rng.choice([Channel.ONLINE, Channel.EXCHANGE_DAY, Channel.PHONE]),
        )
    day = calendar.add_workdays(day, 1)
    with clock.travel(_at(day, rng)):
        actions.accept(problem, actor=secretariat)
        if returned_by is not None and returned_by.pk in officers:
            actions.assign(problem, actor=secretariat, lead_unit=returned_by)
            actions.return_task(
                problem,
                actor=officers[returned_by.pk],
                reason="经核实，该事项不属于本单位职责范围，建议改派。",
            )
        actions.assign(problem, actor=secretariat, lead_unit=lead)
        actions.sign_for(problem, actor=officers[lead.pk], note="已签收")
    late = rng.random() < 0.15
    finish = (
        calendar.add_workdays(problem.deadline, rng.randint(1, 5))
        if late
        else (calendar.add_workdays(day, rng.randint(1, 4)))
    )
    finish = min(finish, problem.deadline) if not late else finish
    with clock.travel(_at(finish, rng)):
        actions.complete(problem, actor=officers[lead.pk], report="已协调办结，并向企业反馈。")
    rated = calendar.add_workdays(finish, 1)
    with clock.travel(_at(rated, rng)):
        satisfied = Satisfaction.SATISFIED if rng.random() < 0.85 else Satisfaction.BASIC
        actions.rate(problem, actor=contact, solved=True, satisfaction=satisfied)
        actions.close(problem, actor=secretariat, close_type=CloseType.SOLVED)
