"""Benchmark scenarios, run against whatever database the settings point at.

Requests go through ``django.test.Client`` in-process (as the peer benchmark does): two warm-up
requests, then timed repetitions (≥ 100 for a percentile). A **floor** answers the same question
in raw SQL on the same database — the bound no ORM or template can beat; where the raw SQL does
only part of the page's work it is reported as a **reference** instead, never as a floor.
"""

import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from qingdan.accounts.models import User
from qingdan.bench.synthetic import BENCH_UNIT
from qingdan.lib import clock
from qingdan.problems import actions
from qingdan.problems.models import Problem, Status
from qingdan.problems.warnings import cutoffs


def summarize(samples: list[float]) -> dict:
    ordered = sorted(samples)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]

    return {
        "n": len(samples),
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(pct(0.95), 2),
        "min_ms": round(ordered[0], 2),
        "max_ms": round(ordered[-1], 2),
    }


def timed(fn: Callable[[int], object], reps: int, warmup: int = 2) -> list[float]:
    for index in range(warmup):
        fn(-1 - index)
    samples = []
    for index in range(reps):
        started = time.perf_counter()
        fn(index)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def queries_of(fn: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def get_page(client: Client, url: str) -> Callable[[int], object]:
    def fetch(_index: int):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return response

    return fetch


def raw(sql: str, params: list) -> Callable[[int], object]:
    def run(_index: int):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def page_scenario(name, client, url, floor_sql, floor_params, reps, *, same=True) -> dict:
    """``same``: the raw SQL answers the page's whole question (a floor); otherwise it is a
    reference (part of the work)."""
    fetch = get_page(client, url)
    result = {"scenario": name, "url": url} | summarize(timed(fetch, reps))
    result["queries"] = queries_of(lambda: fetch(0))
    result["floor" if same else "reference"] = summarize(timed(raw(floor_sql, floor_params), reps))
    return result


def run_all(reps: int = 30) -> list[dict]:
    officer = User.objects.get(username="bench-unit0001")
    unit_id = officer.unit_id
    assert officer.unit.name == BENCH_UNIT
    secretariat = User.objects.get(username="bench-secretariat")
    unit_client, secretariat_client = Client(), Client()
    unit_client.force_login(officer)
    secretariat_client.force_login(secretariat)
    problem_table = Problem._meta.db_table
    results = []

    results.append(
        page_scenario(
            "unit_inbox",
            unit_client,
            "/problems/inbox/?tab=in_progress",
            f"SELECT id, number, title, deadline FROM {problem_table} "
            "WHERE lead_unit_id = %s AND status = %s ORDER BY deadline, id LIMIT 51",
            [unit_id, Status.IN_PROGRESS],
            reps,
        )
    )
    cut = cutoffs()
    results.append(
        page_scenario(
            "overdue_board",
            secretariat_client,
            "/problems/overdue/",
            f"SELECT id, number, title, deadline FROM {problem_table} "
            "WHERE status IN (%s, %s) AND (deadline < %s OR (status = %s AND sign_deadline < %s)) "
            "ORDER BY deadline, id LIMIT 51",
            [Status.ASSIGNED, Status.IN_PROGRESS, cut.today, Status.ASSIGNED, cut.today],
            reps,
        )
    )
    sample = Problem.objects.filter(status=Status.CLOSED).order_by("-id").first()
    results.append(
        page_scenario(
            "problem_detail",
            secretariat_client,
            sample.get_absolute_url(),
            "SELECT * FROM problems_problemevent WHERE problem_id = %s ORDER BY created, id",
            [sample.pk],
            reps,
            same=False,  # the events only: a reference, not the page's work
        )
    )
    # The quick entry's enterprise suggestions: any part of a name, across the register.
    results.append(
        page_scenario(
            "enterprise_suggestions",
            secretariat_client,
            "/exchange/enterprises/?q=电子材料",
            "SELECT id FROM accounts_enterprise WHERE name LIKE %s LIMIT 50",
            ["%电子材料%"],
            reps,
        )
    )
    results.append(public_board_scenario(secretariat_client, reps))  # publishes last week's
    results += dashboard_scenarios(secretariat_client, reps)
    results.append(transition_scenario(reps))
    results.append(create_scenario())
    return results


def create_scenario(count: int = 200) -> dict:
    """Creation measured the peer's way (its ``create.api``): ``count`` POSTs of a new problem
    to the REST API (``POST /api/v1/problems``, JSON, a logged-in session as the peer's), one
    client, one request at a time, through the in-process test client, each committed — on this
    database, at this history size."""
    from qingdan.accounts.models import Role

    contact = User.objects.filter(role=Role.ENTERPRISE, is_active=True).order_by("pk").first()
    client = Client()
    client.force_login(contact)
    auth = {}
    body = {"title": "厂区线路频繁跳闸", "description": "本月跳闸三次。", "category": "utilities"}

    def create(_index: int):
        response = client.post("/api/v1/problems", body, content_type="application/json", **auth)
        if response.status_code != 201:
            raise RuntimeError(f"create answered {response.status_code}: {response.content[:200]}")

    started = time.perf_counter()
    samples = timed(create, count, warmup=0)
    elapsed = time.perf_counter() - started
    return {
        "scenario": "api_create_in_process",
        "requests": count,
        "rate_per_s": round(count / elapsed, 1),
        "database": connection.vendor,
        "history_problems": Problem.objects.count() - count,
    } | summarize(samples)


def dashboard_scenarios(client: Client, reps: int) -> list[dict]:
    """The leader's dashboard: warm (its caches filled by the warm-up), cold (the cache cleared
    before every request), and cold for a week without a bulletin (last week's bulletins moved
    out of the way inside a transaction that is rolled back), each over ``reps`` samples."""
    from django.core.cache import cache

    from qingdan.bulletins.content import monday_of

    url = "/projects/dashboard/"
    fetch = get_page(client, url)
    warm = {"scenario": "dashboard_warm", "url": url} | summarize(timed(fetch, reps))
    warm["queries"] = queries_of(lambda: fetch(0))
    warm["reference"] = _dashboard_reference(reps)

    def cold_fetch(index: int):
        cache.clear()
        return fetch(index)

    cold = {"scenario": "dashboard_cold", "url": url} | summarize(timed(cold_fetch, reps))
    last_week = monday_of(clock.today()) - timedelta(days=7)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE bulletins_bulletin SET week_start = %s WHERE week_start = %s",
                [date(1999, 1, 4), last_week],
            )
            moved = cursor.rowcount
        no_bulletin = {
            "scenario": "dashboard_cold_no_bulletin",
            "url": url,
            "bulletins_moved": moved,
        } | summarize(timed(cold_fetch, reps))
        transaction.set_rollback(True)
    cache.clear()
    return [warm, cold, no_bulletin]


def _dashboard_reference(reps: int) -> dict:
    # The dashboard's live project questions (pipeline by stage; key projects' plan and
    # completion) as two raw aggregates.
    year, month = clock.today().year, clock.today().month
    pipeline = raw(
        "SELECT count(*), sum(amount_wan_yuan) FROM projects_project "
        "GROUP BY signed_on IS NULL, started_on IS NULL, producing_on IS NULL",
        [],
    )
    behind = raw(
        "SELECT p.id, pl.planned_wan_yuan, sum(m.completed_wan_yuan) FROM projects_project p "
        "JOIN projects_annualplan pl ON pl.project_id = p.id AND pl.year = %s "
        "LEFT JOIN projects_monthlyinvestment m ON m.project_id = p.id AND m.year = %s "
        "AND m.month <= %s WHERE p.is_key GROUP BY p.id, pl.planned_wan_yuan",
        [year, year, month],
    )
    # A reference, not a floor: two of the dashboard's questions, not all of them.
    return summarize(timed(lambda i: (pipeline(i), behind(i)), reps))


def transition_scenario(reps: int) -> dict:
    """sign_for on a fresh assigned task each time, by an officer of its lead unit: the lock,
    the version and permission checks, the event, the save and the notifications."""
    waiting = list(
        Problem.objects.filter(status=Status.ASSIGNED)
        .order_by("id")
        .values_list("pk", "lead_unit__liaison_id")[: reps + 2]
    )
    if len(waiting) < reps + 2:
        return {"scenario": "transition", "skipped": "not enough assigned tasks"}
    officers = User.objects.in_bulk({officer for _pk, officer in waiting})

    def sign(index: int):
        pk, officer = waiting[index + 2]
        actions.sign_for(Problem.objects.get(pk=pk), actor=officers[officer])

    result = {"scenario": "transition", "action": "sign"} | summarize(timed(sign, reps))
    # Floor: the same writes in raw SQL (lock, event, status), rolled back each time.
    table, events = Problem._meta.db_table, "problems_problemevent"
    pk, officer = waiting[0]

    def raw_sign(_index: int):
        with transaction.atomic():
            with connection.cursor() as cursor:
                lock = "" if connection.vendor == "sqlite" else " FOR UPDATE"
                cursor.execute(f"SELECT version FROM {table} WHERE id = %s{lock}", [pk])
                cursor.execute(
                    f"INSERT INTO {events} (problem_id, actor_id, created, action, from_status, "
                    "to_status, note, payload) VALUES (%s, %s, %s, 'sign', 'assigned', "
                    "'in_progress', '', '{}')",
                    [pk, officer, clock.now()],
                )
                cursor.execute(
                    f"UPDATE {table} SET status = 'in_progress', version = version + 1 "
                    "WHERE id = %s",
                    [pk],
                )
            transaction.set_rollback(True)

    result["floor"] = summarize(timed(raw_sign, reps))
    return result


def public_board_scenario(client: Client, reps: int) -> dict:
    """The public page of last week's bulletin (published once, here, if it is not yet)."""
    from datetime import timedelta

    from qingdan.bulletins import actions as bulletin_actions
    from qingdan.bulletins.content import monday_of
    from qingdan.bulletins.models import Bulletin

    week = monday_of(clock.today()) - timedelta(days=7)
    bulletin = Bulletin.objects.filter(week_start=week, state="published").first()
    if bulletin is None:
        secretariat = User.objects.get(username="bench-secretariat")
        draft = bulletin_actions.generate_draft(week, actor=secretariat)
        bulletin = bulletin_actions.publish(draft, actor=secretariat, confirm=True)
    fetch = get_page(Client(), bulletin.get_public_url())
    result = {"scenario": "public_board", "url": bulletin.get_public_url()}
    result |= summarize(timed(fetch, reps)) | {"queries": queries_of(lambda: fetch(0))}
    # Floor: reading the frozen snapshot the page is drawn from.
    result["floor"] = summarize(
        timed(raw("SELECT content FROM bulletins_bulletin WHERE id = %s", [bulletin.pk]), reps)
    )
    return result


def import_scenario(rows: int = 100_000) -> dict:
    """An Excel problem list of ``rows`` rows: read, check every row, import all in one
    transaction — then rolled back, so the benchmark database stays as generated."""
    from django.db import transaction

    from qingdan.accounts.models import Enterprise
    from qingdan.exchange import importing
    from qingdan.exchange.models import ExchangeDay

    codes = list(Enterprise.objects.order_by("pk").values_list("credit_code", flat=True)[:2000])
    data = importing.template_xlsx(
        [
            codes[i % len(codes)],
            f"批量导入问题{i}",
            "企业反映：需要协调解决。",
            "水电气",
            "",
            "一般",
            "是",
        ]
        for i in range(rows)
    )
    secretariat = User.objects.get(username="bench-secretariat")
    timings = {}
    started = time.perf_counter()
    parsed, errors = importing.read_rows(data)
    timings["read_s"] = time.perf_counter() - started
    started = time.perf_counter()
    clean, errors = importing.validate(parsed)
    timings["validate_s"] = time.perf_counter() - started
    assert not errors, errors[:3]
    with transaction.atomic():
        day = ExchangeDay.objects.create(date="2000-01-03", chair="bench", created_by=secretariat)
        started = time.perf_counter()
        created = importing.import_rows(clean, exchange_day=day, actor=secretariat)
        timings["import_s"] = time.perf_counter() - started
        transaction.set_rollback(True)
    total = sum(timings.values())
    return {
        "scenario": "excel_import",
        "rows": len(created),
        "file_mb": round(len(data) / 1e6, 1),
        **{k: round(v, 2) for k, v in timings.items()},
        "total_s": round(total, 2),
        "rows_per_s": round(len(created) / total),
    }
