"""KPIs, defined once (see docs/KPIS.md for the formulas and the edge cases).

Figures are a query over the event log: the events of a cohort of problems (those raised in a
period), up to an "as of" moment, are folded into one ``Facts`` per problem; per-unit and overall
figures are sums over those facts. Folding events (rather than reading the cached columns) means
a bulletin can be computed as of any moment, and the cost depends on the cohort's size only,
never on the size of the history.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from qingdan.lib import clock
from qingdan.problems import calendar
from qingdan.problems.models import Problem, ProblemEvent, Satisfaction, Status

RUNNING = {Status.ASSIGNED, Status.IN_PROGRESS}
TERMINAL_WITHOUT_TASK = {Status.DECLINED, Status.MERGED}


@dataclass
class Facts:
    """What was true of one problem at the "as of" moment."""

    problem_id: int
    status: str = Status.SUBMITTED
    accepted: bool = False
    lead_unit_id: int | None = None
    assigned_at: datetime | None = None
    sign_deadline: date | None = None
    signed: bool = False
    signed_on_time: bool = False
    deadline: date | None = None
    resolved_at: datetime | None = None
    resolved_on_time: bool = False
    satisfaction: str = ""
    unsatisfied_reason: str = ""
    redone: int = 0
    returned: int = 0
    extended: int = 0


def fold(events) -> dict[int, Facts]:
    """Events in time order → facts per problem."""
    facts: dict[int, Facts] = {}
    for event in events:
        f = facts.get(event.problem_id)
        if f is None:
            f = facts[event.problem_id] = Facts(event.problem_id)
        payload = event.payload or {}
        action = event.action
        f.status = event.to_status
        if action == "accept":
            f.accepted = True
        elif action == "assign":
            f.lead_unit_id = payload.get("lead_unit_id", f.lead_unit_id)
            f.assigned_at = event.created
            f.sign_deadline = _day(payload.get("sign_deadline"))
            f.deadline = _day(payload.get("deadline"))
            f.signed = f.signed_on_time = False
        elif action == "reject_return":
            f.sign_deadline = _day(payload.get("sign_deadline")) or f.sign_deadline
        elif action == "return":
            f.returned += 1
        elif action == "sign":
            f.signed = True
            f.signed_on_time = bool(payload.get("on_time"))
        elif action == "approve_extension":
            f.deadline = _day(payload.get("deadline")) or f.deadline
            f.extended += 1
        elif action == "complete":
            f.resolved_at = event.created
            f.resolved_on_time = bool(payload.get("on_time"))
        elif action in ("rate", "redo"):
            f.satisfaction = payload.get("satisfaction", "")
            if action == "redo":
                f.redone += 1
                f.unsatisfied_reason = event.note
                f.resolved_at = None
                f.deadline = _day(payload.get("deadline")) or f.deadline
        elif action == "reopen":
            f.redone += 1
            f.resolved_at = None
            f.deadline = _day(payload.get("deadline")) or f.deadline
    return facts


def _day(value) -> date | None:
    return date.fromisoformat(value) if value else None


def facts_for(problems, as_of: datetime | None = None) -> dict[int, Facts]:
    """Facts for a queryset of problems, from their events up to ``as_of`` (now by default)."""
    as_of = as_of or clock.now()
    events = (
        ProblemEvent.objects.filter(problem__in=problems, created__lte=as_of)
        .order_by("problem_id", "created", "id")
        .values_list("problem_id", "action", "to_status", "created", "payload", "note", named=True)
    )
    return fold(events.iterator(chunk_size=5000))


# --- Figures --------------------------------------------------------------------------------


def ratio(numerator: int | Decimal, denominator: int) -> Decimal | None:
    """A rate as a Decimal fraction with 4 places; None ("—") when nothing is due."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )


@dataclass
class Figures:
    """Counts and rates for one unit (or overall) over one cohort."""

    raised: int = 0
    accepted: int = 0
    assigned: int = 0
    due_to_sign: int = 0
    signed_on_time: int = 0
    resolved: int = 0
    due: int = 0
    resolved_on_time: int = 0
    in_progress: int = 0
    overdue: int = 0
    rated: int = 0
    satisfied: int = 0
    basic: int = 0
    unsatisfied: int = 0
    redone: int = 0
    returned: int = 0
    resolve_workdays: list[int] = field(default_factory=list)

    def add(self, f: Facts, as_of_day: date) -> None:
        self.raised += 1
        if f.accepted or f.lead_unit_id:
            self.accepted += 1
        self.returned += f.returned
        if f.lead_unit_id is None or f.status in TERMINAL_WITHOUT_TASK:
            return
        self.assigned += 1
        if f.signed or (f.sign_deadline and f.sign_deadline < as_of_day):
            self.due_to_sign += 1
        if f.signed_on_time:
            self.signed_on_time += 1
        resolved = f.resolved_at is not None
        if resolved:
            self.resolved += 1
            if f.assigned_at:
                self.resolve_workdays.append(
                    calendar.workdays_between(  # a duration: Mon–Fri in an unknown year
                        _beijing_day(f.assigned_at), _beijing_day(f.resolved_at), guess=True
                    )
                )
        if resolved or (f.deadline and f.deadline < as_of_day):
            self.due += 1
        if resolved and f.resolved_on_time:
            self.resolved_on_time += 1
        if f.status in RUNNING:
            self.in_progress += 1
            if f.deadline and f.deadline < as_of_day:
                self.overdue += 1
        if f.satisfaction:
            self.rated += 1
            if f.satisfaction == Satisfaction.SATISFIED:
                self.satisfied += 1
            elif f.satisfaction == Satisfaction.BASIC:
                self.basic += 1
            else:
                self.unsatisfied += 1
        if f.redone:
            self.redone += 1

    # --- rates (None means "—": nothing to measure) ---

    @property
    def sign_rate(self) -> Decimal | None:  # 及时签收率
        return ratio(self.signed_on_time, self.due_to_sign)

    @property
    def on_time_rate(self) -> Decimal | None:  # 按期办结率
        return ratio(self.resolved_on_time, self.due)

    @property
    def resolve_rate(self) -> Decimal | None:  # 办结率
        return ratio(self.resolved, self.assigned)

    @property
    def satisfaction_rate(self) -> Decimal | None:  # 满意率
        weight = Decimal(str(settings.QINGDAN["KPI_BASIC_SATISFIED_WEIGHT"]))
        return ratio(self.satisfied + weight * self.basic, self.rated)

    @property
    def redo_rate(self) -> Decimal | None:  # 重办率
        return ratio(self.redone, self.resolved)

    @property
    def average_workdays(self) -> Decimal | None:  # 平均办结时长（工作日）
        if not self.resolve_workdays:
            return None
        return (Decimal(sum(self.resolve_workdays)) / len(self.resolve_workdays)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def score(self) -> Decimal | None:
        """三率 score: weighted 响应率 (sign rate), 解决率 (resolve rate), 满意率, over the
        rates that exist, re-weighted so a unit is not punished for having nothing rated."""
        weights = settings.QINGDAN["KPI_WEIGHTS"]
        parts = [
            (self.sign_rate, Decimal(str(weights["response"]))),
            (self.resolve_rate, Decimal(str(weights["resolution"]))),
            (self.satisfaction_rate, Decimal(str(weights["satisfaction"]))),
        ]
        present = [(rate, weight) for rate, weight in parts if rate is not None]
        total_weight = sum(weight for _rate, weight in present)
        if not present or not total_weight:
            return None
        value = sum(rate * weight for rate, weight in present) / total_weight * 100
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def all_perfect(self) -> bool:
        rates = [self.sign_rate, self.on_time_rate, self.resolve_rate, self.satisfaction_rate]
        return (
            self.assigned > 0
            and all(rate == 1 for rate in rates if rate is not None)
            and (self.redone == 0)
        )

    def as_dict(self) -> dict:
        rates = {
            "sign_rate": self.sign_rate,
            "on_time_rate": self.on_time_rate,
            "resolve_rate": self.resolve_rate,
            "satisfaction_rate": self.satisfaction_rate,
            "redo_rate": self.redo_rate,
            "average_workdays": self.average_workdays,
            "score": self.score,
        }
        counts = {
            name: getattr(self, name)
            for name in (
                "raised", "accepted", "assigned", "due_to_sign", "signed_on_time", "resolved",
                "due", "resolved_on_time", "in_progress", "overdue", "rated", "satisfied",
                "basic", "unsatisfied", "redone", "returned",
            )
        }  # fmt: skip
        return counts | {key: _text(value) for key, value in rates.items()}


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _beijing_day(moment: datetime) -> date:
    return moment.astimezone(clock.BEIJING).date()


def figures(facts: dict[int, Facts], as_of: datetime) -> tuple[Figures, dict[int, Figures]]:
    """Overall figures and figures per lead unit."""
    as_of_day = _beijing_day(as_of)
    overall = Figures()
    per_unit: dict[int, Figures] = defaultdict(Figures)
    for f in facts.values():
        overall.add(f, as_of_day)
        if f.lead_unit_id is not None and f.status not in TERMINAL_WITHOUT_TASK:
            per_unit[f.lead_unit_id].add(f, as_of_day)
    return overall, dict(per_unit)


def ranked(per_unit: dict[int, Figures]) -> list[tuple[int, int | None, Figures]]:
    """(unit id, rank, figures), best score first; units without a score are unranked, last.
    Equal scores share a rank (1, 2, 2, 4)."""
    scored = sorted(
        per_unit.items(),
        key=lambda item: (item[1].score is None, -(item[1].score or 0), item[0]),
    )
    result, rank, previous = [], 0, None
    for position, (unit_id, figs) in enumerate(scored, start=1):
        if figs.score is None:
            result.append((unit_id, None, figs))
            continue
        if figs.score != previous:
            rank, previous = position, figs.score
        result.append((unit_id, rank, figs))
    return result


def cohort(start: date, end: date):
    """Problems raised in [start, end) (Beijing dates)."""
    start_at = datetime.combine(start, datetime.min.time(), tzinfo=clock.BEIJING)
    end_at = datetime.combine(end, datetime.min.time(), tzinfo=clock.BEIJING)
    return Problem.objects.filter(created__gte=start_at, created__lt=end_at)
