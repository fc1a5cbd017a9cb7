"""KPIs, defined once, for every place that shows a count or a rate (bulletin in every format,
the public page, the API, the leader overview, the dashboard, the unit's home). docs/KPIS.md
states each definition with a worked example.

Figures are a query over the event log: the events of a cohort of problems, up to an "as of"
moment, are folded into one ``Facts`` per problem; per-unit and overall figures are sums over
those facts. Folding events (rather than reading the cached columns) means figures can be
computed as of any moment, and the cost depends on the cohort's size only.

The rules a unit will argue about:

- 按期办结 judges the FIRST completion against the deadline in force then (approved extensions
  count). A redo never clears it; each redo round is judged against its own limit and reported
  separately (重办按期率).
- A return is counted for the unit that returned the task, not the unit it went to next.
- Only items that are due (the deadline passed) or done count toward a rate; a unit with fewer
  than the minimum of counted items is listed with its figures but not ranked.
- Appeals decided "overturned" before the "as of" moment change the judgement
  (lateness → on time; a rating → struck out); a published bulletin never changes.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from qingdan.lib import clock
from qingdan.problems import calendar
from qingdan.problems.models import (
    Appeal,
    KpiSettings,
    Problem,
    ProblemEvent,
    Satisfaction,
    Status,
)

RUNNING = {Status.ASSIGNED, Status.IN_PROGRESS}
# No unit holds these: declined or merged before assignment, or returned and waiting for the
# secretariat to reassign (the return itself is counted for the unit that returned it).
WITHOUT_TASK = {Status.DECLINED, Status.MERGED, Status.RETURNED}


# --- Scoring settings -----------------------------------------------------------------------


@dataclass(frozen=True)
class Scoring:
    """The score's weights, the ranking minimum and the weight of 基本满意 (a snapshot of the
    secretariat's settings row, frozen into every bulletin)."""

    min_scored: int = 3
    weights: tuple = (
        ("sign_rate", Decimal("0.2")),
        ("on_time_rate", Decimal("0.3")),
        ("satisfaction_rate", Decimal("0.3")),
        ("first_time_rate", Decimal("0.2")),
    )
    basic_weight: Decimal = Decimal("1")

    def as_dict(self) -> dict:
        return {
            "min_scored": self.min_scored,
            "weights": {name: str(weight) for name, weight in self.weights},
            "basic_weight": str(self.basic_weight),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Scoring":
        return cls(
            min_scored=int(data["min_scored"]),
            weights=tuple((k, Decimal(v)) for k, v in data["weights"].items()),
            basic_weight=Decimal(data["basic_weight"]),
        )


def scoring() -> Scoring:
    """The secretariat's settings (row pk 1), or the defaults when none was saved."""
    row = KpiSettings.objects.order_by("pk").first() or KpiSettings()
    return Scoring(
        min_scored=row.min_scored,
        weights=(
            ("sign_rate", Decimal(str(row.weight_response))),
            ("on_time_rate", Decimal(str(row.weight_on_time))),
            ("satisfaction_rate", Decimal(str(row.weight_satisfaction))),
            ("first_time_rate", Decimal(str(row.weight_first_time))),
        ),
        basic_weight=Decimal(str(row.basic_weight)),
    )


def rate_names() -> dict[str, str]:
    return {
        "sign_rate": _("timely sign-for rate"),
        "on_time_rate": _("on-time resolution rate"),
        "satisfaction_rate": _("satisfaction rate"),
        "first_time_rate": _("first-time resolution rate"),
    }


def formula_text(s: dict) -> str:
    """The formula printed under the ranking in every format (from a bulletin's snapshot)."""
    names = rate_names()
    weights = s["weights"]
    # In the rates' own order: a snapshot read back from PostgreSQL's jsonb has its keys
    # reordered, and the printed formula must not change with the database.
    parts = " + ".join(
        f"{label} × {Decimal(weights[name]):.2f}"
        for name, label in names.items()
        if name in weights
    )
    return _(
        "Score = (%(parts)s) ÷ the sum of the weights of the rates the unit has, × 100. "
        "A rate counts only items that are due or done; “basically satisfied” counts as "
        "%(basic)s. Units with fewer than %(min)s counted items are listed but not ranked; "
        "equal scores share a rank."
    ) % {"parts": parts, "basic": s["basic_weight"], "min": s["min_scored"]}


# --- Facts per problem ------------------------------------------------------------------------


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
    deadline: date | None = None  # the completion deadline in force (extensions count)
    completed: bool = False  # completed at least once
    first_on_time: bool = False  # the first completion against the deadline in force then
    resolved_at: datetime | None = None  # the latest completion, None while (re)doing
    satisfaction: str = ""
    unsatisfied_reason: str = ""
    redone: int = 0
    in_redo: bool = False
    redo_rounds: list = field(default_factory=list)  # [deadline, on_time or None] per redo
    returned_by: list = field(default_factory=list)  # unit ids, one per return
    urged_units: list = field(default_factory=list)  # 催办: the unit holding the task then
    supervised_units: list = field(default_factory=list)  # 督办: likewise
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
            if f.lead_unit_id is not None:
                f.returned_by.append(f.lead_unit_id)
        elif action == "sign":
            f.signed = True
            f.signed_on_time = bool(payload.get("on_time"))
        elif action == "approve_extension":
            f.deadline = _day(payload.get("deadline")) or f.deadline
            f.extended += 1
        elif action == "complete":
            f.resolved_at = event.created
            on_time = bool(payload.get("on_time"))
            if f.in_redo:
                f.redo_rounds[-1][1] = on_time
                f.in_redo = False
            elif not f.completed:
                f.first_on_time = on_time
            f.completed = True
        elif action in ("rate", "redo"):
            f.satisfaction = payload.get("satisfaction", "")
            if action == "redo":
                _start_redo(f, payload)
                f.unsatisfied_reason = event.note
        elif action == "reopen":
            _start_redo(f, payload)
        elif action in ("urge", "supervise"):
            unit_id = payload.get("unit_id") or f.lead_unit_id
            if unit_id is not None:
                (f.urged_units if action == "urge" else f.supervised_units).append(unit_id)
    return facts


def _start_redo(f: Facts, payload: dict) -> None:
    f.redone += 1
    f.resolved_at = None
    f.deadline = _day(payload.get("deadline")) or f.deadline
    f.redo_rounds.append([f.deadline, None])
    f.in_redo = True


def _day(value) -> date | None:
    return date.fromisoformat(value) if value else None


def overturned(problem_ids, as_of: datetime) -> dict[int, set[str]]:
    """problem id → the kinds of judgement overturned on appeal by ``as_of``."""
    found: dict[int, set[str]] = defaultdict(set)
    rows = Appeal.objects.filter(
        problem__in=problem_ids, state=Appeal.State.OVERTURNED, decided_at__lte=as_of
    ).values_list("problem_id", "kind")
    for problem_id, kind in rows:
        found[problem_id].add(kind)
    return found


def apply_appeals(facts: dict[int, Facts], decided: dict[int, set[str]]) -> None:
    for problem_id, kinds in decided.items():
        f = facts.get(problem_id)
        if f is None:
            continue
        if Appeal.Kind.LATENESS in kinds:
            f.signed_on_time = f.signed
            f.first_on_time = f.completed
            for round_ in f.redo_rounds:
                if round_[1] is not None:
                    round_[1] = True
        if Appeal.Kind.RATING in kinds:  # the rating (and the redo it caused) is struck out
            f.satisfaction = ""
            f.unsatisfied_reason = ""
            f.redone = 0
            f.redo_rounds = []


def facts_for(problems, as_of: datetime | None = None) -> dict[int, Facts]:
    """Facts for a queryset of problems, from their events up to ``as_of`` (now by default),
    with the appeals decided by then."""
    as_of = as_of or clock.now()
    events = (
        ProblemEvent.objects.filter(problem__in=problems, created__lte=as_of)
        .order_by("problem_id", "created", "id")
        .values_list("problem_id", "action", "to_status", "created", "payload", "note", named=True)
    )
    facts = fold(events.iterator(chunk_size=5000))
    apply_appeals(facts, overturned(problems.values("pk"), as_of))
    return facts


# --- Figures --------------------------------------------------------------------------------


def ratio(numerator: int | Decimal, denominator: int) -> Decimal | None:
    """A rate as a Decimal fraction with 4 places; None ("—") when nothing is due."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )


COUNTS = (
    "raised",
    "accepted",
    "assigned",
    "scored",
    "due_to_sign",
    "signed_on_time",
    "completed",
    "resolved",
    "due",
    "resolved_on_time",
    "in_progress",
    "overdue",
    "rated",
    "satisfied",
    "basic",
    "unsatisfied",
    "redone",
    "redo_due",
    "redo_on_time",
    "returned",
    "urged",
    "supervised",
)
RATES = (
    "sign_rate",
    "on_time_rate",
    "resolve_rate",
    "satisfaction_rate",
    "redo_rate",
    "first_time_rate",
    "redo_on_time_rate",
    "average_workdays",
    "score",
)


@dataclass
class Figures:
    """Counts and rates for one unit (or overall) over one cohort."""

    scoring: Scoring = field(default_factory=Scoring)
    raised: int = 0
    accepted: int = 0
    assigned: int = 0
    scored: int = 0  # items counted in at least one rate (计分件数)
    due_to_sign: int = 0
    signed_on_time: int = 0
    completed: int = 0  # completed at least once
    resolved: int = 0  # completed now (not back in a redo)
    due: int = 0
    resolved_on_time: int = 0
    in_progress: int = 0
    overdue: int = 0
    rated: int = 0
    satisfied: int = 0
    basic: int = 0
    unsatisfied: int = 0
    redone: int = 0
    redo_due: int = 0
    redo_on_time: int = 0
    returned: int = 0
    urged: int = 0  # 催办 received (counted for the unit holding the task then)
    supervised: int = 0  # 督办 received (likewise)
    resolve_workdays: list[int] = field(default_factory=list)

    def add(self, f: Facts, as_of_day: date) -> None:
        self.raised += 1
        if f.accepted or f.lead_unit_id:
            self.accepted += 1
        if f.lead_unit_id is None or f.status in WITHOUT_TASK:
            return
        self.add_task(f, as_of_day)

    def add_task(self, f: Facts, as_of_day: date) -> None:
        self.assigned += 1
        counted = False
        if f.signed or (f.sign_deadline and f.sign_deadline < as_of_day):
            self.due_to_sign += 1
            counted = True
        if f.signed_on_time:
            self.signed_on_time += 1
        first_round_open = not f.completed
        if f.completed or (first_round_open and f.deadline and f.deadline < as_of_day):
            self.due += 1
            counted = True
            if f.completed and f.first_on_time:
                self.resolved_on_time += 1
        if f.completed:
            self.completed += 1
        if f.resolved_at is not None:
            self.resolved += 1
            if f.assigned_at:
                self.resolve_workdays.append(
                    calendar.workdays_between(  # a duration: Mon–Fri in an unknown year
                        _beijing_day(f.assigned_at), _beijing_day(f.resolved_at), guess=True
                    )
                )
        if f.status in RUNNING:
            self.in_progress += 1
            if f.deadline and f.deadline < as_of_day:
                self.overdue += 1
        if f.satisfaction:
            self.rated += 1
            counted = True
            if f.satisfaction == Satisfaction.SATISFIED:
                self.satisfied += 1
            elif f.satisfaction == Satisfaction.BASIC:
                self.basic += 1
            else:
                self.unsatisfied += 1
        if f.redone:
            self.redone += 1
        for deadline, on_time in f.redo_rounds:
            if on_time is not None or (deadline and deadline < as_of_day):
                self.redo_due += 1
                self.redo_on_time += bool(on_time)
        if counted:
            self.scored += 1

    # --- rates (None means "—": nothing to measure) ---

    @property
    def sign_rate(self) -> Decimal | None:  # 及时签收率
        return ratio(self.signed_on_time, self.due_to_sign)

    @property
    def on_time_rate(self) -> Decimal | None:  # 按期办结率 (first completion)
        return ratio(self.resolved_on_time, self.due)

    @property
    def resolve_rate(self) -> Decimal | None:  # 办结率: done now, of those due or done
        return ratio(self.resolved, self.due)

    @property
    def satisfaction_rate(self) -> Decimal | None:  # 满意率
        return ratio(self.satisfied + self.scoring.basic_weight * self.basic, self.rated)

    @property
    def redo_rate(self) -> Decimal | None:  # 重办率: of the items completed at least once
        return ratio(self.redone, self.completed)

    @property
    def first_time_rate(self) -> Decimal | None:  # 一次办结率 = 1 − 重办率
        return ratio(self.completed - self.redone, self.completed)

    @property
    def redo_on_time_rate(self) -> Decimal | None:  # 重办按期率, per redo round due or done
        return ratio(self.redo_on_time, self.redo_due)

    @property
    def average_workdays(self) -> Decimal | None:  # 平均办结时长（工作日）
        if not self.resolve_workdays:
            return None
        return (Decimal(sum(self.resolve_workdays)) / len(self.resolve_workdays)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def score(self) -> Decimal | None:
        """The weighted mean of the rates the unit has, × 100 (formula_text)."""
        present = [
            (getattr(self, name), weight)
            for name, weight in self.scoring.weights
            if getattr(self, name) is not None
        ]
        total_weight = sum(weight for _rate, weight in present)
        if not present or not total_weight:
            return None
        value = sum(rate * weight for rate, weight in present) / total_weight * 100
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def rankable(self) -> bool:
        return self.score is not None and self.scored >= self.scoring.min_scored

    @property
    def all_perfect(self) -> bool:
        rates = [self.sign_rate, self.on_time_rate, self.resolve_rate, self.satisfaction_rate]
        return (
            self.rankable
            and all(rate == 1 for rate in rates if rate is not None)
            and self.redone == 0
        )

    def as_dict(self) -> dict:
        counts = {name: getattr(self, name) for name in COUNTS}
        return counts | {name: text(getattr(self, name)) for name in RATES}


def text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _beijing_day(moment: datetime) -> date:
    return moment.astimezone(clock.BEIJING).date()


def figures(
    facts: dict[int, Facts], as_of: datetime, rules: Scoring | None = None
) -> tuple[Figures, dict[int, Figures]]:
    """Overall figures and figures per unit: tasks by the lead unit holding them, returns by
    the unit that returned them."""
    rules = rules or scoring()
    as_of_day = _beijing_day(as_of)
    overall = Figures(scoring=rules)
    per_unit: dict[int, Figures] = defaultdict(lambda: Figures(scoring=rules))
    for f in facts.values():
        overall.add(f, as_of_day)
        overall.returned += len(f.returned_by)
        for unit_id in f.returned_by:
            per_unit[unit_id].returned += 1
        overall.urged += len(f.urged_units)
        overall.supervised += len(f.supervised_units)
        for unit_id in f.urged_units:
            per_unit[unit_id].urged += 1
        for unit_id in f.supervised_units:
            per_unit[unit_id].supervised += 1
        if f.lead_unit_id is not None and f.status not in WITHOUT_TASK:
            per_unit[f.lead_unit_id].raised += 1
            per_unit[f.lead_unit_id].accepted += 1
            per_unit[f.lead_unit_id].add_task(f, as_of_day)
    return overall, dict(per_unit)


def ranked(per_unit: dict[int, Figures]) -> list[tuple[int, int | None, Figures]]:
    """(unit id, rank, figures), best score first; units below the minimum of counted items
    (or without a score) are unranked, listed after. Equal scores share a rank (1, 2, 2, 4)."""
    scored = sorted(
        per_unit.items(),
        key=lambda item: (not item[1].rankable, -(item[1].score or 0), item[0]),
    )
    result, rank, previous = [], 0, None
    for position, (unit_id, figs) in enumerate(scored, start=1):
        if not figs.rankable:
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


def unit_figures(problems, as_of: datetime | None = None) -> tuple[Figures, dict[int, Figures]]:
    """Overall and per-unit figures of any set of problems now (the overview, the unit home)."""
    as_of = as_of or clock.now()
    return figures(facts_for(problems, as_of), as_of)


def save_scoring(*, actor, values: dict) -> KpiSettings:
    """The secretariat changes the scoring settings (history kept by ``records.save``); the
    bulletins computed afterwards use them, a published one keeps those it was published with."""
    from qingdan.accounts.models import Role
    from qingdan.core import records
    from qingdan.lib.errors import NotAllowed

    if actor is None or actor.role not in (Role.SECRETARIAT, Role.ADMIN):
        raise NotAllowed(_("Only the secretariat sets how units are scored."))
    row = KpiSettings.objects.order_by("pk").first() or KpiSettings()
    return records.save(row, actor=actor, values=values)


def percent(value) -> str:
    """ "0.8333" → "83.33%"; None → "—" (nothing to measure). One way to print a rate."""
    if value is None or value == "":
        return "—"
    return f"{(Decimal(value) * 100).quantize(Decimal('0.01'))}%"
