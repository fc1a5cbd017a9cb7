"""Who qualifies for a policy: each condition over the enterprise record is met, missed or
unknown. Missing data is "unknown", never "met": an enterprise is eligible only when every
condition is met. "One condition short": exactly one condition not met (missed or unknown)."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Enterprise
from qingdan.enterprises.actions import profile_of
from qingdan.enterprises.models import Tag
from qingdan.policies.models import Condition, Figure, Kind, Operator, Policy

MET, MISSED, UNKNOWN = "met", "missed", "unknown"
ELIGIBLE, NEAR, INCOMPLETE, NOT_ELIGIBLE = "eligible", "near", "incomplete", "not_eligible"
VERDICTS = {
    ELIGIBLE: _("Eligible"),
    NEAR: _("One condition short"),
    INCOMPLETE: _("Data missing"),
    NOT_ELIGIBLE: _("Not eligible"),
}


@dataclass
class Result:
    condition: Condition
    outcome: str  # met / missed / unknown
    found: str  # what the record says ("" when it says nothing)


@dataclass
class Match:
    policy: Policy
    enterprise: Enterprise
    results: list[Result]

    @property
    def verdict(self) -> str:
        outcomes = [r.outcome for r in self.results]
        short = [o for o in outcomes if o != MET]
        if not short:
            return ELIGIBLE
        if len(short) == 1:
            return NEAR
        return NOT_ELIGIBLE if MISSED in outcomes else INCOMPLETE

    @property
    def verdict_label(self) -> str:
        return str(VERDICTS[self.verdict])

    @property
    def short_of(self) -> list[Result]:
        return [r for r in self.results if r.outcome != MET]


def describe(condition: Condition) -> str:
    """The condition in words, e.g. "研发投入占比 at least 3"."""
    if condition.kind == Kind.TAG:
        subject = str(Tag(condition.value).label) if condition.value in Tag.values else ""
        return f"{condition.get_operator_display()} {subject or condition.value}"
    subject = condition.get_figure_display() if condition.kind == Kind.FIGURE else ""
    subject = subject or condition.get_kind_display()
    return f"{subject} {condition.get_operator_display()} {condition.value}"


def _values(text: str) -> list[str]:
    return [v.strip() for v in text.replace("，", ",").replace("、", ",").split(",") if v.strip()]


def _number(text) -> Decimal | None:
    try:
        value = Decimal(str(text))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def _compare(found, condition: Condition) -> str:
    if found is None:
        return UNKNOWN
    limit = _number(condition.value)
    if limit is None:
        return UNKNOWN
    if condition.operator == Operator.GTE:
        return MET if Decimal(found) >= limit else MISSED
    if condition.operator == Operator.LTE:
        return MET if Decimal(found) <= limit else MISSED
    return UNKNOWN


class Facts:
    """What the record says of one enterprise, read once for all policies."""

    def __init__(self, enterprise: Enterprise):
        self.enterprise = enterprise
        self.profile = profile_of(enterprise)
        self.kept = self.profile.pk is not None
        self.tags = set(self.profile.all_tags())
        self.latest = enterprise.yearly_figures.order_by("-year").first()


def evaluate(condition: Condition, facts: Facts) -> Result:
    profile, kind, op = facts.profile, condition.kind, condition.operator
    if kind == Kind.TAG:
        if not facts.kept and condition.value not in facts.tags:
            return Result(condition, UNKNOWN, "")
        has = condition.value in facts.tags
        met = has if op == Operator.HAS else not has
        return Result(condition, MET if met else MISSED, "、".join(profile.tag_labels()))
    if kind == Kind.INDUSTRY:
        code = profile.industry_code
        if not code:
            return Result(condition, UNKNOWN, "")
        met = any(code.upper().startswith(v.upper()) for v in _values(condition.value))
        return Result(condition, MET if met else MISSED, code)
    if kind in (Kind.SIZE, Kind.GRADE, Kind.LOCATION):
        found = {
            Kind.SIZE: profile.size_class,
            Kind.GRADE: profile.grade,
            Kind.LOCATION: facts.enterprise.zone,
        }[kind]
        if not found:
            return Result(condition, UNKNOWN, "")
        met = found in _values(condition.value)
        return Result(condition, MET if met else MISSED, found)
    if kind == Kind.CAPITAL:
        found = profile.registered_capital_wan_yuan
        return Result(condition, _compare(found, condition), "" if found is None else str(found))
    if kind == Kind.FIGURE:
        if facts.latest is None or condition.figure not in Figure.values:
            return Result(condition, UNKNOWN, "")
        found = getattr(facts.latest, condition.figure)
        shown = "" if found is None else f"{found} ({facts.latest.year})"
        return Result(condition, _compare(found, condition), shown)
    return Result(condition, UNKNOWN, "")


def match(policy: Policy, enterprise: Enterprise, facts: Facts | None = None) -> Match:
    facts = facts or Facts(enterprise)
    return Match(policy, enterprise, [evaluate(c, facts) for c in policy.conditions.all()])


def enterprises_for(policy: Policy, enterprises) -> list[Match]:
    """Every enterprise's match to ``policy``, eligible first, then one short."""
    order = [ELIGIBLE, NEAR, INCOMPLETE, NOT_ELIGIBLE]
    found = [match(policy, e) for e in enterprises.select_related("profile")]
    return sorted(found, key=lambda m: (order.index(m.verdict), m.enterprise.name))


def policies_for(enterprise: Enterprise, policies) -> list[Match]:
    """The policies ``enterprise`` qualifies for or nearly qualifies for."""
    facts = Facts(enterprise)
    found = [match(p, enterprise, facts) for p in policies.prefetch_related("conditions")]
    return [m for m in found if m.verdict in (ELIGIBLE, NEAR)]
