"""Keeping the search index current: in the transaction of every change, in bulk for bulk raises,
and all at once (``manage.py reindex``).

What is indexed is what a person would search a problem by: its number, title and description,
the information added to it later (the enterprise's own account of the problem, so it belongs with
the description), the enterprise's name and credit code, the category and the lead unit. Progress
notes, completion reports and the reasons of returns and declines are not: they tell how a problem
was handled, and units' names in a return reason ("not ours, give it to 规建局") would make a
problem match searches, similar problems and routing evidence for a unit that never handled it.
"""

from collections.abc import Iterable, Iterator

from django.db import connection, transaction

from qingdan.problems.models import Problem, ProblemEvent
from qingdan.search import tokens
from qingdan.search.models import ProblemIndex

CHUNK = 2000

# Actions that change what is indexed (the others change status, deadlines, notes…). An action
# in neither set is indexed anyway: a new action is never missed, only maybe indexed needlessly.
CHANGES_INDEX = {"raise", "assign", "add_info", "reassign"}  # reassign: a new lead unit
LEAVES_INDEX = {
    "accept",
    "decline",
    "merge",
    "sign",
    "return",
    "reject_return",
    "progress",
    "request_extension",
    "approve_extension",
    "refuse_extension",
    "complete",
    "rate",
    "redo",
    "close",
    "reopen",
    "relate",
    "follow_up",
    "escalate",
    "challenge_publish",
    "challenge_select",
    "challenge_accept",
    # Supervision (issue 15): notes and rows of their own, not the indexed fields.
    "urge",
    "supervise",
    "supervision_reply",
    "close_supervision",
    "instruct",
    "acknowledge_instruction",
    "interview",
    "issue_document",
}

FIELDS = (
    "id",
    "number",
    "title",
    "description",
    "enterprise__name",
    "enterprise__credit_code",
    "category__name",
    "lead_unit__name",
    "lead_unit__short_name",
)


def document(values: dict, added: Iterable[str] = ()) -> str:
    """The tokens of one problem from its FIELDS values and the information added to it."""
    return tokens.document(
        values["number"],
        values["title"],
        values["description"],
        *added,
        values["enterprise__name"],
        values["enterprise__credit_code"],
        values["category__name"],
        values["lead_unit__name"],
        values["lead_unit__short_name"],
    )


def _cached(instance, name: str):
    """A related object already in memory, or None (never a query)."""
    field = type(instance)._meta.get_field(name)
    return field.get_cached_value(instance) if field.is_cached(instance) else None


def _values_in_memory(problem: Problem) -> dict | None:
    """FIELDS of a problem just raised, from the objects the raise had in hand."""
    enterprise, category = _cached(problem, "enterprise"), _cached(problem, "category")
    if enterprise is None or category is None or problem.lead_unit_id is not None:
        return None
    return {
        "id": problem.pk,
        "number": problem.number,
        "title": problem.title,
        "description": problem.description,
        "enterprise__name": enterprise.name,
        "enterprise__credit_code": enterprise.credit_code,
        "category__name": category.name,
        "lead_unit__name": "",
        "lead_unit__short_name": "",
    }


def _added_information(problem_ids: list[int]) -> dict[int, list[str]]:
    added: dict[int, list[str]] = {}
    rows = (
        ProblemEvent.objects.filter(problem_id__in=problem_ids, action="add_info")
        .order_by("id")
        .values_list("problem_id", "note")
    )
    for problem_id, note in rows:
        added.setdefault(problem_id, []).append(note)
    return added


def _write(documents: dict[int, str]) -> None:
    ProblemIndex.objects.bulk_create(
        [ProblemIndex(problem_id=pk, tokens=text) for pk, text in documents.items()],
        batch_size=CHUNK,
        update_conflicts=True,
        unique_fields=["problem"],
        update_fields=["tokens"],
    )


def index_problems(problem_ids: Iterable[int]) -> int:
    """(Re)write the documents of these problems; returns how many."""
    ids = sorted(set(problem_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        added = _added_information(chunk)
        rows = Problem.objects.filter(pk__in=chunk).values(*FIELDS)
        _write({row["id"]: document(row, added.get(row["id"], ())) for row in rows})
    return len(ids)


def on_recorded(sender, domain: str, events: list, actor=None, **kwargs) -> None:
    """Listener of ``qingdan.core.events.recorded``: index the problems whose events change what
    is indexed, inside the transaction that wrote the events."""
    if domain != "problems":
        return
    fresh: dict[int, str] = {}
    stale: set[int] = set()
    for event in events:
        if event.action in LEAVES_INDEX:
            continue
        problem = _cached(event, "problem") if event.action == "raise" else None
        values = _values_in_memory(problem) if problem is not None else None
        if values is not None:
            fresh[problem.pk] = document(values)
        else:
            stale.add(event.problem_id)
    if fresh:  # new problems: plain inserts, the cheapest write there is
        table = connection.ops.quote_name(ProblemIndex._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (problem_id, tokens) VALUES (%s, %s)", list(fresh.items())
            )
    if stale:
        index_problems(stale)


# --- All at once -------------------------------------------------------------------------------

# The triggers that keep SQLite's FTS5 table in step (as migration 0001 created them).
SQLITE_TRIGGERS = [
    "CREATE TRIGGER search_problemindex_ai AFTER INSERT ON search_problemindex BEGIN "
    "INSERT INTO search_problem_fts(rowid, tokens) VALUES (new.problem_id, new.tokens); END",
    "CREATE TRIGGER search_problemindex_ad AFTER DELETE ON search_problemindex BEGIN "
    "INSERT INTO search_problem_fts(search_problem_fts, rowid, tokens) "
    "VALUES ('delete', old.problem_id, old.tokens); END",
    "CREATE TRIGGER search_problemindex_au AFTER UPDATE ON search_problemindex BEGIN "
    "INSERT INTO search_problem_fts(search_problem_fts, rowid, tokens) "
    "VALUES ('delete', old.problem_id, old.tokens); "
    "INSERT INTO search_problem_fts(rowid, tokens) VALUES (new.problem_id, new.tokens); END",
]


def _all_documents(batch: int = 10_000) -> Iterator[list[tuple[int, str]]]:
    """Every problem's document, in batches of (id, tokens)."""
    last = 0
    while True:
        rows = list(Problem.objects.filter(pk__gt=last).order_by("pk").values(*FIELDS)[:batch])
        if not rows:
            return
        added = _added_information([row["id"] for row in rows])
        yield [(row["id"], document(row, added.get(row["id"], ()))) for row in rows]
        last = rows[-1]["id"]


def rebuild(log=lambda line: None) -> int:
    """Rebuild the whole index in one transaction (COPY on PostgreSQL); returns the count."""
    table = connection.ops.quote_name(ProblemIndex._meta.db_table)
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE needs no pending checks
            cursor.execute(f"TRUNCATE {table}")
        else:
            # Rows written without the triggers (one FTS5 insert per row is ten times slower than
            # rebuilding the FTS5 table at the end); they come back before the transaction ends.
            for name in ("ai", "ad", "au"):
                cursor.execute(f"DROP TRIGGER search_problemindex_{name}")
            cursor.execute(f"DELETE FROM {table}")
        for rows in _all_documents():
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {table} (problem_id, tokens) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(
                    f"INSERT INTO {table} (problem_id, tokens) VALUES (%s, %s)", rows
                )
            count += len(rows)
            if count % 100_000 < len(rows):
                log(f"indexed {count}")
        if connection.vendor == "sqlite":
            # The FTS5 table built in one pass from its content table (triggers were off).
            cursor.execute("INSERT INTO search_problem_fts(search_problem_fts) VALUES ('rebuild')")
            for statement in SQLITE_TRIGGERS:
                cursor.execute(statement)
    return count
