"""A synthetic province for benchmarks: ``manage.py generate --problems N``.

Bulk-loads units, enterprises, people, problems, task units and events straight into the
tables (COPY on PostgreSQL, executemany on SQLite), deterministic by seed. The rows follow the
lifecycle's rules (statuses reached through the events that lead to them, deadlines in working
days) so that every page and query sees realistic data; they do not go through the actions,
which would take hours at a million problems.
"""

import json
import random
from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, transaction

from qingdan.accounts.models import Enterprise, Industry, Role, Unit, UnitKind, User
from qingdan.lib import clock
from qingdan.lib.creditcode import make_code
from qingdan.problems import calendar
from qingdan.problems.models import (
    Category,
    Problem,
    ProblemCounter,
    ProblemEvent,
    Status,
    TaskUnit,
)

CHUNK = 20_000
YEARS = 3
UNUSABLE_PASSWORD = "!synthetic"
BENCH_UNIT = "基准单位0001"  # the busiest unit: its inbox is the one measured

TITLES = [
    ("utilities", "厂区线路频繁跳闸"),
    ("utilities", "水费偏高，要求核查计量"),
    ("utilities", "用电增容报装进度慢"),
    ("transport", "希望增开公交线路"),
    ("transport", "园区道路破损"),
    ("approvals", "施工许可办理难"),
    ("approvals", "环评审批进度慢"),
    ("hiring", "招工难，急缺普工"),
    ("finance", "流动资金紧张，申请贷款"),
    ("policy_funds", "技改补贴资金未到位"),
    ("land", "土地证办理延迟"),
    ("safety_environment", "污水处理能力不足"),
    ("other", "希望组织产业链对接"),
]


class Loader:
    """Insert plain tuples into a table as fast as the database allows."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.postgres = connection.vendor == "postgresql"

    def load(self, model, columns: list[str], rows: Iterable[tuple]) -> int:
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        count = 0
        if self.postgres:
            with self.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        marks = ", ".join(["%s"] * len(columns))
        batch = []
        for row in rows:
            batch.append(tuple(_sqlite_value(value) for value in row))
            if len(batch) >= 5000:
                self.cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)
                count += len(batch)
                batch = []
        if batch:
            self.cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)
            count += len(batch)
        return count


def _sqlite_value(value):
    """Store datetimes as Django does on SQLite (naive UTC text), so comparisons hold."""
    if isinstance(value, datetime):
        return str(value.astimezone(UTC).replace(tzinfo=None))
    return value


def _next_id(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def generate(
    problems: int,
    *,
    seed: int = 2026,
    enterprises: int = 100_000,
    units: int = 2_000,
    busy_week: int = 0,
    log=print,
) -> dict:
    """Build the province. Returns counts of what was written. ``busy_week`` of the problems
    are raised in last week (Monday to Sunday), for the weekly bulletin at scale."""
    if Problem.objects.exists():
        raise ValueError("The database already has problems: generate into an empty one.")
    rng = random.Random(seed)
    now = clock.now()
    today = now.astimezone(clock.BEIJING).date()
    categories = {c.code: c for c in Category.objects.all()}
    written = {}
    with transaction.atomic():
        cursor = connection.cursor()
        loader = Loader(cursor)
        # Rows made through the ORM first: bulk loads set explicit ids past the sequences,
        # which are reset at the end.
        secretariat_id = _secretariat(now)
        unit_ids, officer_ids = _units_and_officers(loader, units, now)
        enterprise_ids, contact_ids = _enterprises_and_contacts(loader, enterprises, rng, now)
        written |= {"units": len(unit_ids), "enterprises": len(enterprise_ids)}
        log(f"units {len(unit_ids)}, enterprises {len(enterprise_ids)}")
        first_problem = _next_id(Problem)
        first_event = _next_id(ProblemEvent)
        first_task_unit = _next_id(TaskUnit)
        state = {"event": first_event, "task_unit": first_task_unit, "events": 0, "tus": 0}
        numbers: dict[int, int] = {}
        start = now - timedelta(days=365 * YEARS)
        last_monday = today - timedelta(days=today.weekday() + 7)
        busy_start = datetime.combine(last_monday, time(0, 0), tzinfo=clock.BEIJING)
        busy_span = 7 * 86400
        history = problems - busy_week
        span = (busy_start - start).total_seconds()
        # Deadlines need the calendar; precompute "N working days after" for every day in range.
        workday_after = _workday_table(start.date(), today + timedelta(days=60))
        for chunk_start in range(0, problems, CHUNK):
            size = min(CHUNK, problems - chunk_start)
            # Creation times ascend with ids, as they would in real life: history first, then
            # the busy week, then (for the rest of this week) nothing.
            offsets = sorted(rng.random() for _ in range(size))
            rows, task_units, events = [], [], []
            for index, offset in enumerate(offsets):
                pid = first_problem + chunk_start + index
                position = chunk_start + index
                if position < history:
                    created = start + timedelta(seconds=(position + offset) / history * span)
                else:
                    share = (position - history + offset) / max(busy_week, 1)
                    created = busy_start + timedelta(seconds=share * busy_span)
                year = created.astimezone(clock.BEIJING).year
                numbers[year] = numbers.get(year, 0) + 1
                row, tu, evs = _problem(
                    rng,
                    pid,
                    f"QD-{year}-{numbers[year]:06d}",
                    created,
                    now,
                    today,
                    categories,
                    unit_ids,
                    officer_ids,
                    enterprise_ids,
                    contact_ids,
                    secretariat_id,
                    workday_after,
                    state,
                )
                rows.append(row)
                task_units.extend(tu)
                events.extend(evs)
            loader.load(Problem, PROBLEM_COLUMNS, rows)
            state["tus"] += loader.load(TaskUnit, TASK_UNIT_COLUMNS, task_units)
            state["events"] += loader.load(ProblemEvent, EVENT_COLUMNS, events)
            log(f"problems {chunk_start + size}/{problems}, events {state['events']}")
        for year, last in numbers.items():
            ProblemCounter.objects.update_or_create(year=year, defaults={"last": last})
        written["projects"] = _projects(
            loader, rng, max(10, problems // 100), enterprise_ids, unit_ids, today
        )
        written["indicator_values"] = _indicators(loader, rng, today)
        _reset_sequences()
        written["indexed"] = _search_index(log)
    written |= {"problems": problems, "events": state["events"], "task_units": state["tus"]}
    return written


def _projects(loader, rng, count, enterprise_ids, unit_ids, today) -> int:
    """Projects at every stage, with this year's plan and monthly completed investment."""
    from qingdan.projects.models import AnnualPlan, MonthlyInvestment, Project

    first = _next_id(Project)
    rows, plans, months = [], [], []
    plan_id, month_id = _next_id(AnnualPlan), _next_id(MonthlyInvestment)
    industries = [i for i in Industry.values if i != Industry.OTHER]
    for index in range(count):
        pk = first + index
        signed = today - timedelta(days=rng.randint(30, 1500))
        stages = rng.randint(0, 4)
        dates = [signed - timedelta(days=30), signed]
        for gap in (20, 40, 150, 120)[:stages]:
            dates.append(min(today, dates[-1] + timedelta(days=gap)))
        dates += [None] * (7 - len(dates))
        amount = Decimal(rng.randint(1000, 200000))
        rows.append(
            (
                pk,
                f"基准项目{index + 1:05d}",
                enterprise_ids[index % len(enterprise_ids)],
                industries[index % len(industries)],
                amount,
                amount,
                rng.random() < 0.2,
                None,
                unit_ids[index % len(unit_ids)],
                signed + timedelta(days=60),
                *dates[:6],
                clock.now(),
            )
        )
        planned = (amount * Decimal("0.3")).quantize(Decimal("0.01"))
        plans.append((plan_id, pk, today.year, planned))
        plan_id += 1
        pace = Decimal(str(rng.choice([1.05, 0.95, 0.8, 0.6, 0.3])))
        for month in range(1, today.month + 1):
            months.append(
                (month_id, pk, today.year, month, (planned / 12 * pace).quantize(Decimal("0.01")))
            )
            month_id += 1
    loader.load(
        Project,
        [
            "id",
            "name",
            "investor_id",
            "industry",
            "amount_wan_yuan",
            "total_investment_wan_yuan",
            "is_key",
            "responsible_leader_id",
            "responsible_unit_id",
            "planned_start",
            "negotiating_on",
            "signed_on",
            "landed_on",
            "started_on",
            "producing_on",
            "full_production_on",
            "created",
        ],
        rows,
    )
    loader.load(AnnualPlan, ["id", "project_id", "year", "planned_wan_yuan"], plans)
    loader.load(
        MonthlyInvestment, ["id", "project_id", "year", "month", "completed_wan_yuan"], months
    )
    return count


def _indicators(loader, rng, today, years: int = 10) -> int:
    from qingdan.projects.models import Indicator, IndicatorValue

    rows, pk = [], _next_id(IndicatorValue)
    for indicator in Indicator.objects.all():
        base = Decimal(rng.randint(5, 300))
        for year in range(today.year - years + 1, today.year + 1):
            for month in range(1, 13 if year < today.year else today.month):
                value = (base * month / 12 * Decimal(1 + (year - today.year) * 0.05)).quantize(
                    Decimal("0.0001")
                )
                prior = (value / Decimal("1.1")).quantize(Decimal("0.0001"))
                rows.append((pk, indicator.pk, year, month, value, prior))
                pk += 1
    loader.load(
        IndicatorValue, ["id", "indicator_id", "year", "month", "value", "prior_year_value"], rows
    )
    return len(rows)


def _secretariat(now) -> int:
    leadership, _ = Unit.objects.get_or_create(
        name="省营商环境办公室", defaults={"kind": UnitKind.SECRETARIAT}
    )
    user, _ = User.objects.get_or_create(
        username="bench-secretariat",
        defaults={"role": Role.SECRETARIAT, "unit": leadership, "password": UNUSABLE_PASSWORD},
    )
    return user.pk


def _units_and_officers(loader: Loader, count: int, now) -> tuple[list[int], dict[int, int]]:
    first_unit, first_user = _next_id(Unit), _next_id(User)
    unit_rows = [
        (
            first_unit + i,
            f"基准单位{i + 1:04d}",
            f"单位{i + 1}",
            UnitKind.BUREAU,
            None,
            None,
            True,
            "",
            "",
            "",
        )
        for i in range(count)
    ]
    loader.load(
        Unit,
        [
            "id",
            "name",
            "short_name",
            "kind",
            "parent_id",
            "liaison_id",
            "is_active",
            "wecom_webhook",
            "dingtalk_webhook",
            "dingtalk_secret",
        ],
        unit_rows,
    )
    officers = {}
    user_rows = []
    for i in range(count):
        uid = first_user + i
        officers[first_unit + i] = uid
        user_rows.append(
            _user_row(uid, f"bench-unit{i + 1:04d}", Role.UNIT_OFFICER, now, unit_id=first_unit + i)
        )
    loader.load(User, USER_COLUMNS, user_rows)
    # Each unit's liaison is its officer.
    loader.cursor.execute(
        f"UPDATE {Unit._meta.db_table} SET liaison_id = "
        f"(SELECT MIN(u.id) FROM {User._meta.db_table} u WHERE u.unit_id = "
        f"{Unit._meta.db_table}.id) WHERE id >= %s",
        [first_unit],
    )
    return [first_unit + i for i in range(count)], officers


def _enterprises_and_contacts(loader: Loader, count: int, rng, now):
    first_enterprise, first_user = _next_id(Enterprise), _next_id(User)
    industries = [i for i in Industry.values if i != Industry.OTHER]
    rows, users = [], []
    for i in range(count):
        eid = first_enterprise + i
        body = f"B{i:07d}"
        rows.append(
            (
                eid,
                f"基准企业{i + 1:06d}有限公司",
                make_code("91", "430000", body),
                industries[i % len(industries)],
                "",
                "",
                "",
                rng.random() < 0.5,
                rng.random() < 0.2,
                False,
                False,
                False,
                now,
            )
        )
        users.append(
            _user_row(
                first_user + i, f"bench-ent{i + 1:06d}", Role.ENTERPRISE, now, enterprise_id=eid
            )
        )
    loader.load(Enterprise, ENTERPRISE_COLUMNS, rows)
    loader.load(User, USER_COLUMNS, users)
    return [first_enterprise + i for i in range(count)], {
        first_enterprise + i: first_user + i for i in range(count)
    }


USER_COLUMNS = [
    "id",
    "password",
    "last_login",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
    "name",
    "role",
    "enterprise_id",
    "unit_id",
    "job_title",
    "phone",
    "language",
    "email_notifications",
]
ENTERPRISE_COLUMNS = [
    "id",
    "name",
    "credit_code",
    "industry",
    "address",
    "zone",
    "phone",
    "is_above_scale",
    "is_high_tech",
    "is_little_giant",
    "is_listed",
    "is_fortune500_investment",
    "created",
]
PROBLEM_COLUMNS = [
    "id",
    "number",
    "enterprise_id",
    "raised_by_id",
    "title",
    "description",
    "category_id",
    "channel",
    "urgency",
    "may_name_publicly",
    "created",
    "status",
    "version",
    "lead_unit_id",
    "responsible_id",
    "assigned_at",
    "sign_deadline",
    "signed_at",
    "deadline",
    "resolved_at",
    "closed_at",
    "close_type",
    "satisfaction",
    "redo_count",
    "merged_into_id",
]
TASK_UNIT_COLUMNS = ["id", "problem_id", "unit_id", "is_lead", "division"]
EVENT_COLUMNS = [
    "id",
    "problem_id",
    "actor_id",
    "created",
    "action",
    "from_status",
    "to_status",
    "note",
    "payload",
]


def _user_row(uid, username, role, now, *, unit_id=None, enterprise_id=None) -> tuple:
    return (
        uid,
        UNUSABLE_PASSWORD,
        None,
        False,
        username,
        "",
        "",
        "",
        False,
        True,
        now,
        username,
        role,
        enterprise_id,
        unit_id,
        "",
        "",
        "",
        True,
    )


def _workday_table(first, last) -> dict:
    """day → list of the dates 0..15 working days after it (deadlines need up to 15)."""
    table = {}
    day = first
    while day <= last:
        after, current = [day], day
        for _ in range(15):
            current = calendar.add_workdays(current, 1, guess=True)  # synthetic data
            after.append(current)
        table[day] = after
        day += timedelta(days=1)
    return table


def _final_status(rng, age_days: float) -> str:
    roll = rng.random()
    if age_days > 60:
        if roll < 0.75:
            return Status.CLOSED
        return Status.DECLINED if roll < 0.88 else Status.MERGED
    if age_days > 20:
        table = [
            (0.45, Status.CLOSED),
            (0.60, Status.RESOLVED),
            (0.90, Status.IN_PROGRESS),
            (0.95, Status.DECLINED),
            (1.0, Status.MERGED),
        ]
    else:
        table = [
            (0.10, Status.SUBMITTED),
            (0.20, Status.ACCEPTED),
            (0.35, Status.ASSIGNED),
            (0.37, Status.RETURNED),
            (0.75, Status.IN_PROGRESS),
            (0.90, Status.RESOLVED),
            (0.95, Status.DECLINED),
            (1.0, Status.MERGED),
        ]
    return next(status for limit, status in table if roll < limit)


STEPS = {  # the events that lead to each final state
    Status.SUBMITTED: [],
    Status.ACCEPTED: ["accept"],
    Status.ASSIGNED: ["accept", "assign"],
    Status.RETURNED: ["accept", "assign", "return"],
    Status.IN_PROGRESS: ["accept", "assign", "sign", "progress"],
    Status.RESOLVED: ["accept", "assign", "sign", "complete"],
    Status.CLOSED: ["accept", "assign", "sign", "complete", "rate", "close"],
    Status.DECLINED: ["decline"],
    Status.MERGED: ["merge"],
}
TARGET = {
    "accept": Status.ACCEPTED,
    "assign": Status.ASSIGNED,
    "return": Status.RETURNED,
    "sign": Status.IN_PROGRESS,
    "progress": Status.IN_PROGRESS,
    "complete": Status.RESOLVED,
    "rate": Status.RESOLVED,
    "close": Status.CLOSED,
    "decline": Status.DECLINED,
    "merge": Status.MERGED,
}


def _problem(
    rng,
    pid,
    number,
    created,
    now,
    today,
    categories,
    unit_ids,
    officer_ids,
    enterprise_ids,
    contact_ids,
    secretariat_id,
    workday_after,
    state,
):
    code, title = TITLES[rng.randrange(len(TITLES))]
    category = categories[code]
    enterprise_id = enterprise_ids[int(rng.paretovariate(1.2) * 7) % len(enterprise_ids)]
    contact_id = contact_ids[enterprise_id]
    # Skewed: the first unit leads 5 % of everything, the rest share the remainder.
    lead_unit_id = unit_ids[0] if rng.random() < 0.05 else unit_ids[rng.randrange(len(unit_ids))]
    officer_id = officer_ids[lead_unit_id]
    age_days = (now - created).total_seconds() / 86400
    status = _final_status(rng, age_days)
    steps = STEPS[status]
    explained = status == Status.CLOSED and rng.random() < 0.5  # closed with an explanation
    if explained:
        steps = [step for step in steps if step != "rate"]
    moment = created
    events = [
        (
            state["event"],
            pid,
            contact_id,
            created,
            "raise",
            "",
            Status.SUBMITTED,
            "",
            json.dumps({"channel": "online", "urgency": "normal"}),
        )
    ]
    state["event"] += 1
    previous = Status.SUBMITTED
    assigned_at = signed_at = resolved_at = closed_at = None
    sign_deadline = deadline = None
    satisfaction = close_type = ""
    slow = rng.random() < 0.3
    for action in steps:
        moment = moment + timedelta(hours=rng.uniform(2, 30 if not slow else 120))
        if moment > now:
            moment = now - timedelta(minutes=rng.randint(1, 600))
        actor = (
            officer_id
            if action in ("sign", "progress", "complete", "return")
            else (contact_id if action == "rate" else secretariat_id)
        )
        payload = {}
        if action == "assign":
            day = moment.astimezone(clock.BEIJING).date()
            after = workday_after.get(day) or workday_after[max(workday_after)]
            sign_deadline, deadline = after[category.sign_days], after[category.completion_days]
            assigned_at = moment
            payload = {
                "lead_unit_id": lead_unit_id,
                "sign_deadline": sign_deadline.isoformat(),
                "deadline": deadline.isoformat(),
            }
        elif action == "sign":
            signed_at = moment
            payload = {"on_time": moment.astimezone(clock.BEIJING).date() <= sign_deadline}
        elif action == "complete":
            resolved_at = moment
            payload = {
                "on_time": moment.astimezone(clock.BEIJING).date() <= deadline,
                "deadline": deadline.isoformat(),
            }
        elif action == "rate":
            satisfaction = "satisfied" if rng.random() < 0.85 else "basic"
            payload = {"solved": True, "satisfaction": satisfaction}
        elif action in ("close", "decline", "merge"):
            closed_at = moment
            close_type = ("explained" if explained else "solved") if action == "close" else ""
        events.append(
            (
                state["event"],
                pid,
                actor,
                moment,
                action,
                previous,
                TARGET[action],
                "",
                json.dumps(payload),
            )
        )
        state["event"] += 1
        previous = TARGET[action]
    task_units = []
    has_task = status not in (Status.SUBMITTED, Status.ACCEPTED, Status.DECLINED, Status.MERGED)
    if has_task:
        task_units.append((state["task_unit"], pid, lead_unit_id, True, "牵头办理"))
        state["task_unit"] += 1
    row = (
        pid,
        number,
        enterprise_id,
        contact_id,
        title,
        "企业反映：" + title,
        category.pk,
        "online",
        "normal",
        True,
        created,
        status,
        len(events),
        lead_unit_id if has_task else None,
        officer_id if has_task else None,
        assigned_at,
        sign_deadline,
        signed_at,
        deadline,
        resolved_at,
        closed_at,
        close_type,
        satisfaction,
        0,
        None,
    )
    return row, task_units, events


def _search_index(log) -> int:
    """The search index in bulk (COPY on PostgreSQL), and the routing model learned from the
    province, as a running park has them (similar problems weigh words by it)."""
    from qingdan.search import index, routing

    count = index.rebuild(log=log)
    routing.train()
    return count


def _reset_sequences() -> None:
    from qingdan.projects.models import AnnualPlan, IndicatorValue, MonthlyInvestment, Project

    statements = connection.ops.sequence_reset_sql(
        no_style(),
        [
            Unit,
            User,
            Enterprise,
            Problem,
            TaskUnit,
            ProblemEvent,
            Project,
            AnnualPlan,
            MonthlyInvestment,
            IndicatorValue,
        ],
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
