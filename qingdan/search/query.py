"""Searching problems: matching in the database's full-text index, ranking, highlighting.

Matching restricts a queryset the caller already built (``visible_problems(user)`` and the list's
filters), so search never shows more than the page would without it. Ranking orders the most
recently raised ``RANK_WINDOW`` matches: words found in the title first, then in the enterprise's
name, then written as typed in the description; newest first among equals. A word so common that it
matches more than the window (at a million problems, 跳闸 matches tens of thousands) ranks only
its most recent matches: adding a word or a filter narrows the question.
"""

import functools
import operator
import re

from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from qingdan.problems.models import Problem
from qingdan.search.tokens import Query, bigrams, is_cjk, normalize, parse

RANK_WINDOW = 1000
FIRST_SPAN = 50_000  # the newest problems asked first (recent_matches)
PROBLEM_NUMBER = re.compile(r"QD-\d{4}-\d{6}")  # problems.actions.next_number


def tsquery(query: Query) -> str:
    """PostgreSQL: every needle a quoted lexeme, prefixes with :*, all required."""
    return " & ".join(f"'{token}'" + (":*" if prefix else "") for token, prefix in query.needles)


def fts5_query(query: Query) -> str:
    """SQLite FTS5: every needle a quoted string, prefixes with *, all required."""
    return " AND ".join(f'"{token}"' + ("*" if prefix else "") for token, prefix in query.needles)


def match_sql(query: Query) -> tuple[str, list]:
    """SQL selecting the ids of the problems whose documents hold every needle."""
    if connection.vendor == "postgresql":
        return (
            "SELECT problem_id FROM search_problemindex WHERE document @@ %s::tsquery",
            [tsquery(query)],
        )
    return (
        "SELECT rowid FROM search_problem_fts WHERE search_problem_fts MATCH %s",
        [fts5_query(query)],
    )


def matching(problems: QuerySet, query: Query | str) -> QuerySet:
    """The problems of ``problems`` that match; none when nothing searchable was typed."""
    if isinstance(query, str):
        query = parse(query)
    if not query:
        return problems.none()
    sql, params = match_sql(query)
    return problems.filter(pk__in=RawSQL(sql, params))


def newest_id() -> int:
    return Problem.objects.order_by("-id").values_list("id", flat=True).first() or 0


def recent_matches(query: Query, limit: int = RANK_WINDOW, newest: int | None = None) -> list[int]:
    """The ids of the ``limit`` most recently raised problems that match, newest first, from the
    full-text index alone. Asked of the newest problems first (a range of ids, then eight times
    wider, up to all): a common word fills the window among the newest, and neither database
    then reads the older matches' rows (at a million problems, 招工 普工 matches 77 k: PostgreSQL
    read 49 k pages for them, 280 ms). Similar problems ask it too, word by word."""
    sql, params = match_sql(query)
    column = "problem_id" if connection.vendor == "postgresql" else "rowid"
    newest = newest_id() if newest is None else newest
    span = FIRST_SPAN
    with connection.cursor() as cursor:
        while True:
            low = newest - span
            cursor.execute(
                f"{sql} AND {column} > %s ORDER BY 1 DESC LIMIT {int(limit)}", [*params, low]
            )
            window = [row[0] for row in cursor.fetchall()]
            if len(window) >= limit or low <= 0:
                return window
            span *= 8


def rank_expression(query: Query):
    """Points per word: 4 in the title, 2 in the enterprise's name, 8 for the exact number or
    credit code, 1 as typed in the description (it may match through its bigrams only)."""
    parts = []
    for term in query.terms:
        parts.append(
            Case(When(title__icontains=term, then=Value(4)), default=Value(0))
            + Case(When(enterprise__name__icontains=term, then=Value(2)), default=Value(0))
            + Case(When(description__icontains=term, then=Value(1)), default=Value(0))
        )
    exact = query.text.replace(" ", "").upper()
    if exact:
        parts.append(
            Case(
                When(Q(number=exact) | Q(enterprise__credit_code=exact), then=Value(8)),
                default=Value(0),
            )
        )
    if not parts:
        return Value(0, output_field=IntegerField())
    return functools.reduce(operator.add, parts)


def search(problems: QuerySet, text: str, *, ranked: bool = False) -> QuerySet:
    """The ``problems.search`` hook: matches of ``text`` among ``problems``; with ``ranked``,
    the most recent RANK_WINDOW of them annotated with ``search_rank``."""
    query = parse(text)
    exact = query.text.replace(" ", "").upper()
    if PROBLEM_NUMBER.fullmatch(exact):
        # A problem's number finds that problem by its unique index; the full-text index would
        # intersect "qd" and "2026", which every problem of the year holds.
        found = problems.filter(number=exact)
        if found.exists():
            return found.annotate(search_rank=Value(8)) if ranked else found
    found = matching(problems, query)
    if not ranked or not query:
        return found
    if problems.model is Problem and not problems.query.where.children:
        # Everything is visible and nothing filtered (the secretariat's and leaders' list):
        # the full-text index itself yields its most recent matches, and stops there.
        window = recent_matches(query)
    else:
        # The most recently raised matches (ids ascend as problems are raised) among those the
        # person may see, filtered.
        window = list(found.order_by("-id").values_list("pk", flat=True)[:RANK_WINDOW])
    # The window's ids as a list: each row then is a primary-key lookup, which no planner
    # mistakes for a reason to read the whole table.
    return Problem.objects.filter(pk__in=window).annotate(search_rank=rank_expression(query))


# --- Highlighting -----------------------------------------------------------------------------


def _spans(lowered: str, needle: str) -> list[tuple[int, int]]:
    spans, start = [], lowered.find(needle)
    while needle and start != -1:
        spans.append((start, start + len(needle)))
        start = lowered.find(needle, start + len(needle))
    return spans


def highlight(text, query: Query | str) -> SafeString:
    """``text`` HTML-escaped, with each searched word inside <mark>. A Chinese word found only
    through its bigrams (its characters not side by side) has those bigrams marked."""
    text = "" if text is None else str(text)
    if isinstance(query, str):
        query = parse(query)
    lowered = normalize(text)
    if len(lowered) != len(text):  # normalisation changed lengths: offsets would not match
        lowered = text.lower()
    spans: list[tuple[int, int]] = []
    for term in query.terms:
        found = _spans(lowered, term)
        if not found and is_cjk(term) and len(term) > 2:
            for pair in bigrams(term)[:-1]:
                found += _spans(lowered, pair)
        spans += found
    if not spans:
        return escape(text)
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, position = [], 0
    for start, end in merged:
        out.append(escape(text[position:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308  (every piece escaped above)


# --- Small lists: challenges and projects ---------------------------------------------------


def search_fields(queryset: QuerySet, text: str, *, title: str, others: tuple[str, ...]):
    """Rows of a small table (challenges, projects: hundreds, not millions) that hold every word
    typed in ``title`` or one of ``others`` (as written: the same words as a problem search),
    best first: words in the title count more."""
    query = parse(text)
    if not query.terms:
        return queryset.none()
    rank = []
    for term in query.terms:
        matches = Q(**{f"{title}__icontains": term})
        for name in others:
            matches |= Q(**{f"{name}__icontains": term})
        queryset = queryset.filter(matches)
        rank.append(Case(When(**{f"{title}__icontains": term}, then=Value(4)), default=Value(1)))
    return queryset.annotate(search_rank=functools.reduce(operator.add, rank)).order_by(
        "-search_rank", *queryset.query.order_by or queryset.model._meta.ordering
    )


def search_challenges(challenges: QuerySet, text: str) -> QuerySet:
    return search_fields(
        challenges, text, title="title", others=("code", "goal", "conditions", "owner_unit__name")
    )


def search_projects(projects: QuerySet, text: str) -> QuerySet:
    return search_fields(
        projects,
        text,
        title="name",
        others=("investor__name", "investor__credit_code", "responsible_unit__name"),
    )
