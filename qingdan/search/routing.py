"""Routing suggestions (智能派单): which unit should lead a problem, learned from the park's own
history of assignments.

Training (``train``, nightly and ``manage.py train_routing``) reads every problem that was
assigned, with its final lead unit (after any returns and reassignments), and every return:

- each unit gets a centroid: the sum of its problems' content-word vectors (binary, weighted by
  rarity, each of unit length), and one of the problems it returned;
- each category gets each unit's share of its problems, a return counting against the unit that
  returned, plus a pseudo-count for the category's usual lead unit — the rule a new park starts
  from.

A unit's word score is the text's cosine with its centroid, reduced by the share of the unit's
evidence for such a text that is returns (a return is evidence against the unit for problems
like the one it returned).

A suggestion blends the text's cosine with each centroid and the unit's share of the category
(``learned.CATEGORY_WEIGHT``), and names the three best, each with a reason drawn from the
history the person may see: "12 similar problems were handled by 供电公司 in the last year,
11 on time".
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qingdan.accounts.models import Unit, UnitKind
from qingdan.lib import clock
from qingdan.problems.access import visible_problems
from qingdan.problems.models import Category, Problem, ReturnRequest, Status
from qingdan.search import learned
from qingdan.search.features import Idf, content_words, cosine
from qingdan.search.models import RoutingModel
from qingdan.search.similar import candidates

RETURN_WEIGHT = 1.0  # a return counts as much against a unit as a handled problem counts for it
RULE_PSEUDO_COUNT = 2.0  # the category's usual lead unit, as if it had handled this many
MAX_VOCABULARY = 50_000
KEEP_WEIGHT = 0.002  # centroid weights below this share of the unit's largest are dropped
REASON_THRESHOLD = 0.25  # how alike a past problem must be to count in a reason
REASON_CANDIDATES = 500
TOP = 3
HANDLING_KINDS = (
    UnitKind.BUREAU,
    UnitKind.UTILITY,
    UnitKind.TRANSPORT,
    UnitKind.FINANCE,
    UnitKind.OTHER,
)
ASSIGNED = (Status.ASSIGNED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED)
CHUNK = 5000


# --- Training ---------------------------------------------------------------------------------


def _words_by_problem(problem_ids: list[int]) -> dict[int, set[str]]:
    rows = Problem.objects.filter(pk__in=problem_ids).values_list("id", "title", "description")
    return {pk: content_words(title, description) for pk, title, description in rows}


def _examples():
    """(words, category code, final lead unit) of every assigned problem, in id order."""
    last = 0
    while True:
        rows = list(
            Problem.objects.filter(pk__gt=last, status__in=ASSIGNED, lead_unit__isnull=False)
            .order_by("pk")
            .values_list("pk", "title", "description", "category__code", "lead_unit_id")[:CHUNK]
        )
        if not rows:
            return
        for _pk, title, description, category, unit in rows:
            yield content_words(title, description), category, unit
        last = rows[-1][0]


def learn(examples, returns, rules: dict[str, int]) -> dict:
    """The model's payload from ``examples`` [(words, category, unit)], ``returns``
    [(words, category, unit)] and the categories' usual lead units ``rules`` {code: unit}."""
    examples, returns = list(examples), list(returns)
    df = Counter(word for words, _c, _u in examples for word in words)
    if len(df) > MAX_VOCABULARY:
        df = Counter(dict(df.most_common(MAX_VOCABULARY)))
    idf = Idf(dict(df), len(examples))

    def vector(words):
        weights = {w: idf(w) for w in words if w in df}
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        return {w: v / norm for w, v in weights.items()}

    centroids: dict[int, defaultdict] = defaultdict(lambda: defaultdict(float))
    returned: dict[int, defaultdict] = defaultdict(lambda: defaultdict(float))
    counts: dict[str, Counter] = defaultdict(Counter)
    returned_counts: dict[str, Counter] = defaultdict(Counter)
    for words, category, unit in examples:
        for word, weight in vector(words).items():
            centroids[unit][word] += weight
        counts[category][unit] += 1
    for words, category, unit in returns:
        for word, weight in vector(words).items():
            returned[unit][word] += weight
        returned_counts[category][unit] += 1
    for code, unit in rules.items():
        counts[code][unit] += RULE_PSEUDO_COUNT

    def compact(centroid):
        top = max(centroid.values(), default=0)
        return {w: round(v, 4) for w, v in centroid.items() if v >= KEEP_WEIGHT * top and v > 0}

    units = {str(unit): compact(centroid) for unit, centroid in centroids.items()}
    against = {str(unit): compact(centroid) for unit, centroid in returned.items()}
    category_units = {}
    for code in set(counts) | set(returned_counts):
        handled, back = counts[code], returned_counts[code]
        total = sum(handled.values()) + RETURN_WEIGHT * sum(back.values())
        shares = {
            str(unit): round((handled[unit] - RETURN_WEIGHT * back[unit]) / total, 4)
            for unit in handled
            if handled[unit] - RETURN_WEIGHT * back[unit] > 0
        }
        if shares:
            category_units[code] = shares
    return {
        "n": len(examples),
        "df": dict(df),
        "units": units,
        "returns": against,
        "category_units": category_units,
    }


def train() -> RoutingModel:
    """Learn from the whole history and store the model (older models are kept, five at most)."""
    returned = list(
        ReturnRequest.objects.values_list("problem_id", "problem__category__code", "unit_id")
    )
    words = {}
    ids = sorted({pk for pk, _c, _u in returned})
    for start in range(0, len(ids), CHUNK):
        words |= _words_by_problem(ids[start : start + CHUNK])
    returns = [(words.get(pk, set()), code, unit) for pk, code, unit in returned]
    rules = dict(
        Category.objects.filter(default_lead_unit__isnull=False).values_list(
            "code", "default_lead_unit_id"
        )
    )
    payload = learn(_examples(), returns, rules)
    with transaction.atomic():
        model = RoutingModel.objects.create(
            trained_at=clock.now(), problems=payload["n"], returns=len(returns), payload=payload
        )
        old = RoutingModel.objects.order_by("-trained_at", "-id").values_list("pk", flat=True)[5:]
        RoutingModel.objects.filter(pk__in=list(old)).delete()
    learned.forget()
    return model


# --- Suggesting -------------------------------------------------------------------------------


@dataclass
class Suggestion:
    unit: Unit
    score: float
    reason: str

    @property
    def percent(self) -> int:
        return round(min(self.score, 1.0) * 100)


def _unit_label(unit: Unit) -> str:
    return unit.short_name or unit.name


def evidence(user, words: set[str], unit_ids: list[int], idf: Idf) -> dict[int, dict]:
    """Per unit, from the last year of history ``user`` may see: how many problems like these
    words it handled (as final lead unit), how many of those it resolved and resolved on time,
    how many like them it returned."""
    since = clock.now() - timedelta(days=365)
    found = {unit: {"handled": 0, "resolved": 0, "on_time": 0, "returned": 0} for unit in unit_ids}
    if not words or not unit_ids:
        return found
    pool = visible_problems(user).filter(
        created__gte=since, lead_unit_id__in=unit_ids, status__in=ASSIGNED
    )
    for row in candidates(pool, words, idf, limit=REASON_CANDIDATES):
        if cosine(words, content_words(row["title"], row["description"]), idf) < REASON_THRESHOLD:
            continue
        tally = found[row["lead_unit_id"]]
        tally["handled"] += 1
        if row["resolved_at"] and row["deadline"]:
            tally["resolved"] += 1
            resolved_on = row["resolved_at"].astimezone(clock.BEIJING).date()
            tally["on_time"] += resolved_on <= row["deadline"]
    returned = ReturnRequest.objects.filter(
        unit_id__in=unit_ids,
        returned_at__gte=since,
        problem__in=visible_problems(user),
    ).values_list("unit_id", "problem__title", "problem__description")
    for unit, title, description in returned[:REASON_CANDIDATES]:
        if cosine(words, content_words(title, description), idf) >= REASON_THRESHOLD:
            found[unit]["returned"] += 1
    return found


def _reason(unit: Unit, tally: dict, category: Category | None, shares: dict[int, float]) -> str:
    label = _unit_label(unit)
    if tally["handled"] and not tally["resolved"]:
        text = ngettext(
            "%(count)s similar problem was handled by %(unit)s in the last year",
            "%(count)s similar problems were handled by %(unit)s in the last year",
            tally["handled"],
        ) % {"count": tally["handled"], "unit": label}
    elif tally["handled"]:
        text = ngettext(
            "%(count)s similar problem was handled by %(unit)s in the last year, "
            "%(on_time)s on time",
            "%(count)s similar problems were handled by %(unit)s in the last year, "
            "%(on_time)s on time",
            tally["handled"],
        ) % {"count": tally["handled"], "unit": label, "on_time": tally["on_time"]}
    elif category is not None and shares.get(unit.pk):
        text = _("%(category)s problems are usually handled by %(unit)s") % {
            "category": category,
            "unit": label,
        }
    else:
        text = _("Its past problems are worded alike")
    if tally["returned"]:
        text += ngettext(
            "; it returned %(count)s similar problem",
            "; it returned %(count)s similar problems",
            tally["returned"],
        ) % {"count": tally["returned"]}
    return text


def suggest(
    user,
    *,
    title: str = "",
    description: str = "",
    category: Category | None = None,
    top: int = TOP,
) -> list[Suggestion]:
    """The ``top`` most likely lead units for this text, best first."""
    model = learned.current()
    words = content_words(title, description)
    code = category.code if category else None
    scores = model.scores(words, code)
    if not scores and category is not None and category.default_lead_unit_id:
        scores = {category.default_lead_unit_id: 1.0}  # no model yet: the category's rule
    units = Unit.objects.filter(pk__in=list(scores), is_active=True, kind__in=HANDLING_KINDS)
    ranked = sorted(units, key=lambda u: (-scores[u.pk], u.name))[:top]
    shares = dict(model.category_units.get(code or "", {}))
    if category is not None and category.default_lead_unit_id:
        shares.setdefault(category.default_lead_unit_id, 1.0)
    tallies = evidence(user, words, [u.pk for u in ranked], model.idf)
    return [
        Suggestion(
            unit=u, score=round(scores[u.pk], 3), reason=_reason(u, tallies[u.pk], category, shares)
        )
        for u in ranked
    ]


def suggest_for(user, problem: Problem) -> list[Suggestion]:
    return suggest(
        user, title=problem.title, description=problem.description, category=problem.category
    )
