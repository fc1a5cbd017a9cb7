"""Benchmark scenarios of search, similar problems and the index's cost on a raise (issue 18).

Run by ``manage.py run_scenarios`` after the others, on the synthetic province (whose generator
fills the search index). Each has its raw-SQL floor beside it: the full-text match alone.
"""

import statistics
import time

from django.db import connection, transaction
from django.test import Client

from qingdan.accounts.models import Enterprise, User
from qingdan.bench.scenarios import queries_of, summarize, timed
from qingdan.core import events
from qingdan.problems import actions
from qingdan.problems.models import Category, Channel, Problem
from qingdan.search import index, query, similar, tokens


def search_queries() -> list[str]:
    """What a secretariat types: a common word (it matches one problem in thirteen of the
    synthetic province: the worst case for ranking), two words, part of an enterprise's name,
    part of a credit code (past the province's common prefix), a problem number."""
    enterprise = Enterprise.objects.order_by("pk").values_list("name", "credit_code")[7]
    number = Problem.objects.order_by("-pk").values_list("number", flat=True).first()
    return ["跳闸", "水费 计量", "招工 普工", enterprise[0][2:12], enterprise[1][:14], number]


def search_list_scenario(client: Client, reps: int) -> dict:
    """The all-problems list searched (ranked, highlighted), through the test client."""
    texts = search_queries()

    def fetch(index: int):
        response = client.get("/problems/", {"q": texts[index % len(texts)]})
        if response.status_code != 200:
            raise RuntimeError(f"search answered {response.status_code}")

    result = {"scenario": "search_list", "queries": len(texts)} | summarize(timed(fetch, reps))
    result["sql_queries"] = queries_of(lambda: fetch(0))
    matches = [query.match_sql(tokens.parse(text)) for text in texts]

    def floor(index: int):
        sql, params = matches[index % len(matches)]
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} ORDER BY 1 DESC LIMIT 51", params)
            return cursor.fetchall()

    result["floor"] = summarize(timed(floor, reps))
    return result


def similar_scenario(reps: int) -> dict:
    """Similar problems for a text being typed, as the secretariat (who sees everything)."""
    secretariat = User.objects.get(username="bench-secretariat")
    texts = [
        ("厂区线路老是跳闸", "车间配电柜跳闸，停电影响生产"),
        ("水费比去年高很多", "怀疑水表计量不准，请核查"),
        ("员工上下班没有公交", "希望增开公交线路"),
    ]

    def look(index: int):
        title, description = texts[index % len(texts)]
        return similar.find_similar(
            secretariat, title=title, description=description, category="utilities"
        )

    result = {"scenario": "similar", "texts": len(texts)} | summarize(timed(look, reps))
    idf = similar.learned.current().idf
    rarest = [similar.rarest(similar.content_words(*text), idf) for text in texts]

    def floor(index: int):
        # The candidates' lookup in the full-text index alone.
        return similar.recent_matches(rarest[index % len(rarest)])

    result["floor"] = summarize(timed(floor, reps))
    return result


def raise_overhead_scenario(reps: int) -> dict:
    """A raise with the index kept in its transaction, and without (the listener disconnected);
    each raise rolled back, so the province stays as generated. The floor: writing one search
    document in raw SQL."""
    contact = User.objects.filter(role="enterprise").order_by("pk").select_related("enterprise")[3]
    category = Category.objects.get(code="utilities")

    def raise_one(_index: int):
        with transaction.atomic():
            actions.raise_problem(
                actor=contact,
                enterprise=contact.enterprise,
                title="厂区线路频繁跳闸，影响生产",
                description="本月已跳闸三次，每次停产两小时以上，请尽快排查线路故障。",
                category=category,
                channel=Channel.ONLINE,
            )
            transaction.set_rollback(True)

    def alternate() -> tuple[list[float], list[float]]:
        # Interleaved rounds, so a busy moment of the machine falls on both alike.
        indexed, bare = [], []
        for round_ in range(reps):
            for samples, connected in ((indexed, True), (bare, False)):
                if not connected:
                    events.recorded.disconnect(dispatch_uid="qingdan.search.index")
                try:
                    started = time.perf_counter()
                    raise_one(round_)
                    samples.append((time.perf_counter() - started) * 1000)
                finally:
                    if not connected:
                        events.recorded.connect(
                            index.on_recorded, dispatch_uid="qingdan.search.index"
                        )
        return indexed, bare

    raise_one(-1)
    raise_one(-2)
    indexed, bare = alternate()
    overhead = statistics.median(indexed) / statistics.median(bare) - 1
    document = tokens.document("厂区线路频繁跳闸，影响生产", "本月已跳闸三次，请尽快排查。")
    table = index.ProblemIndex._meta.db_table
    problem_id = Problem.objects.order_by("-pk").values_list("pk", flat=True).first()

    def floor(_index: int):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE problem_id = %s", [problem_id])
            cursor.execute(
                f"INSERT INTO {table} (problem_id, tokens) VALUES (%s, %s)", [problem_id, document]
            )
            transaction.set_rollback(True)

    return {
        "scenario": "raise_index_overhead",
        "with_index": summarize(indexed),
        "without_index": summarize(bare),
        "overhead_pct": round(overhead * 100, 1),
        "floor": summarize(timed(floor, reps)),
    }


def run(reps: int = 30) -> list[dict]:
    secretariat = User.objects.get(username="bench-secretariat")
    client = Client()
    client.force_login(secretariat)
    return [
        search_list_scenario(client, reps),
        similar_scenario(reps),
        raise_overhead_scenario(reps),
    ]
