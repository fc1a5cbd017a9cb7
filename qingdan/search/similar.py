"""Similar problems: is what is being typed (or what was just submitted) already raised?

Candidates come from the full-text index: for each of the text's rarest content words, the most
recently raised problems holding it (``PER_WORD`` at most, however common the word), kept if
raised within the last year and open or closed recently (merged and declined ones are left out:
neither can take a merge). Each is then scored: the cosine of the two
texts' content words weighted by rarity, plus a little for the same enterprise, the same category
and the same area (the enterprise's zone). Only what the person may see is a candidate: their
``visible_problems``; an enterprise also sees other enterprises' public problems (accepted ones,
as the Open311 public list shows them), by number, title and status only, the enterprise named
only if it agreed to be.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet

from qingdan.accounts.models import Role
from qingdan.bulletins.access import recently_published
from qingdan.lib import clock
from qingdan.problems.access import visible_problems
from qingdan.problems.models import OPEN_STATUSES, Problem, Status
from qingdan.search import learned, query
from qingdan.search.features import Idf, content_words, cosine
from qingdan.search.tokens import Query, bigrams, is_cjk

WINDOW_DAYS = 365
CLOSED_WITHIN_DAYS = 90
CANDIDATES = 300
QUERY_WORDS = 8
PER_WORD = 200
BONUS = {"enterprise": 0.10, "category": 0.05, "zone": 0.03}
# Shown as similar from this score; flagged "likely the same problem" from DUPLICATE_THRESHOLD,
# chosen on half of the labelled pairs (docs/SEARCH.md gives precision and recall).
SHOW_THRESHOLD = 0.20
DUPLICATE_THRESHOLD = 0.40

FIELDS = (
    "id",
    "number",
    "title",
    "description",
    "status",
    "created",
    "category__code",
    "enterprise_id",
    "enterprise__name",
    "enterprise__industry",
    "enterprise__zone",
    "may_name_publicly",
    "lead_unit_id",
    "lead_unit__name",
    "resolved_at",
    "deadline",
)


@dataclass
class Match:
    number: str
    title: str
    status: str
    status_label: str
    score: float
    same_enterprise: bool
    same_category: bool
    same_zone: bool
    enterprise: str  # as this person may see it
    public: bool  # another enterprise's problem: not openable, shown redacted

    @property
    def likely_duplicate(self) -> bool:
        return self.score >= DUPLICATE_THRESHOLD

    @property
    def percent(self) -> int:
        return round(min(self.score, 1.0) * 100)


def pair_score(
    words_a: set[str],
    words_b: set[str],
    idf: Idf,
    *,
    same_enterprise=False,
    same_category=False,
    same_zone=False,
) -> float:
    """How likely two problems are the same one: text similarity plus the shared context."""
    score = cosine(words_a, words_b, idf)
    if score <= 0:
        return 0.0
    return (
        score
        + BONUS["enterprise"] * same_enterprise
        + BONUS["category"] * same_category
        + BONUS["zone"] * same_zone
    )


def word_needles(word: str) -> list[tuple[str, bool]]:
    """What a word must match in the index: a Chinese word of three characters or more through
    all its bigrams (as a search does), any other word as itself."""
    if is_cjk(word) and len(word) > 2:
        return [(pair, False) for pair in bigrams(word)[:-1]]
    return [(word, False)]


def recent_matches(words: list[str], per_word: int = PER_WORD) -> set[int]:
    """Ids of the most recently raised problems holding each word (``per_word`` at most per
    word), straight from the full-text index: bounded however common a word is."""
    found: set[int] = set()
    newest = query.newest_id()
    for word in words:
        needles = Query(needles=word_needles(word))
        found.update(query.recent_matches(needles, limit=per_word, newest=newest))
    return found


def rarest(words: set[str], idf: Idf, count: int = QUERY_WORDS) -> list[str]:
    return sorted(words, key=lambda w: (-idf(w), w))[:count]


def candidates(problems: QuerySet, words: set[str], idf: Idf, *, limit: int = CANDIDATES):
    """Rows (FIELDS) of ``problems`` among the recent holders of the text's rarest words,
    newest first."""
    if not words:
        return []
    ids = recent_matches(rarest(words, idf))
    if not ids:
        return []
    rows = problems.filter(pk__in=sorted(ids)).order_by("-id").values(*FIELDS)
    return list(rows[:limit])


def window(problems: QuerySet) -> QuerySet:
    now = clock.now()
    return problems.filter(created__gte=now - timedelta(days=WINDOW_DAYS)).filter(
        Q(status__in=[s for s in OPEN_STATUSES])
        | Q(status=Status.CLOSED, closed_at__gte=now - timedelta(days=CLOSED_WITHIN_DAYS))
    )


def find_similar(
    user,
    *,
    title: str = "",
    description: str = "",
    category: str | None = None,
    enterprise=None,
    exclude: Problem | None = None,
    limit: int = 5,
    threshold: float = SHOW_THRESHOLD,
) -> list[Match]:
    """The problems most like this text that ``user`` may see, best first. ``category`` is a
    category code; ``enterprise`` the enterprise raising it (an enterprise contact's own)."""
    if user.role == Role.ENTERPRISE:
        enterprise = user.enterprise
    words = content_words(title, description)
    if not words:
        return []
    idf = learned.current().idf
    pool = visible_problems(user)
    published: dict[str, dict] = {}
    if user.role == Role.ENTERPRISE:
        # Other enterprises' problems only as the published bulletins showed them.
        published = recently_published()
        pool = pool | Problem.objects.filter(number__in=list(published))
    pool = window(pool)
    if exclude is not None:
        pool = pool.exclude(pk=exclude.pk)
    zone = enterprise.zone if enterprise is not None else ""
    matches = []
    for row in candidates(pool, words, idf):
        same_enterprise = enterprise is not None and row["enterprise_id"] == enterprise.pk
        public = user.role == Role.ENTERPRISE and not same_enterprise
        shown = published.get(row["number"]) if public else None
        if public and shown is None:
            continue
        same_zone = bool(zone) and row["enterprise__zone"] == zone
        same_category = bool(category) and row["category__code"] == category
        score = pair_score(
            words,
            # what the public may read of it, nothing more
            content_words(shown["title"], "")
            if public
            else content_words(row["title"], row["description"]),
            idf,
            same_enterprise=same_enterprise,
            same_category=same_category,
            same_zone=same_zone,
        )
        if score < threshold:
            continue
        matches.append(
            Match(
                number=row["number"],
                title=shown["title"] if public else row["title"],
                status=row["status"],
                status_label=shown["status_label"] if public else str(Status(row["status"]).label),
                score=round(score, 3),
                same_enterprise=same_enterprise,
                same_category=same_category,
                same_zone=same_zone,
                enterprise=shown["enterprise_public"] if public else row["enterprise__name"],
                public=public,
            )
        )
    matches.sort(key=lambda m: (-m.score, m.number))
    return matches[:limit]
