import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Max

from qingdan.bench.scenarios import run_all
from qingdan.bench.synthetic import generate
from qingdan.lib.creditcode import find_error
from qingdan.problems.models import Problem, ProblemEvent, Status

pytestmark = pytest.mark.django_db


def test_generated_province_follows_the_lifecycle():
    written = generate(600, enterprises=60, units=12, log=lambda _line: None)
    assert written["problems"] == Problem.objects.count() == 600
    assert 4 <= written["events"] / 600 <= 7
    # Each problem's cached status is the target of its latest event; versions count events.
    latest = {
        row["problem"]: row["last"]
        for row in ProblemEvent.objects.values("problem").annotate(last=Max("id"))
    }
    events = ProblemEvent.objects.in_bulk(list(latest.values()))
    counts = dict(ProblemEvent.objects.values_list("problem").annotate(n=Count("id")))
    for problem in Problem.objects.all():
        assert events[latest[problem.pk]].to_status == problem.status
        assert problem.version == counts[problem.pk]
        if problem.status in (Status.ASSIGNED, Status.IN_PROGRESS):
            assert problem.deadline and problem.lead_unit_id
    statuses = set(Problem.objects.values_list("status", flat=True))
    assert {Status.CLOSED, Status.IN_PROGRESS, Status.DECLINED} <= statuses
    from qingdan.accounts.models import Enterprise

    assert all(
        find_error(code) is None
        for code in Enterprise.objects.values_list("credit_code", flat=True)
    )


def test_generate_refuses_a_database_with_problems():
    generate(20, enterprises=5, units=3, log=lambda _line: None)
    with pytest.raises(CommandError):
        call_command("generate", "--problems", "10")
    assert Problem.objects.count() == 20


def test_scenarios_run_on_a_small_province(client):
    generate(3000, enterprises=50, units=5, log=lambda _line: None)
    results = {row["scenario"]: row for row in run_all(reps=2)}
    pages = (
        "unit_inbox",
        "overdue_board",
        "problem_detail",
        "dashboard_warm",
        "dashboard_cold",
        "dashboard_cold_no_bulletin",
        "public_board",
        "transition",
        "enterprise_suggestions",
    )
    assert set(results) == {*pages, "api_create_in_process"}
    for name in pages:
        assert results[name]["median_ms"] > 0
    # A floor only where the raw SQL answers the same question; a reference otherwise.
    assert {name for name in pages if "floor" in results[name]} == {
        "unit_inbox",
        "overdue_board",
        "public_board",
        "transition",
        "enterprise_suggestions",
    }
    assert "reference" in results["problem_detail"] and "reference" in results["dashboard_warm"]
    create = results["api_create_in_process"]
    assert create["requests"] == create["n"] == 200 and create["rate_per_s"] > 0
    assert create["history_problems"] == 3000 and create["database"] == connection.vendor
    assert Problem.objects.count() == 3200


def test_busy_week_puts_problems_in_last_week_and_the_bulletin_scenario_runs(capsys):
    from datetime import timedelta

    from qingdan.bulletins.content import monday_of
    from qingdan.lib import clock
    from qingdan.problems.kpis import cohort

    generate(1500, enterprises=30, units=4, busy_week=500, log=lambda _line: None)
    week = monday_of(clock.today()) - timedelta(days=7)
    assert cohort(week, week + timedelta(days=7)).count() == 500
    call_command("bench_bulletin", "--reps", "1")
    import json

    result = json.loads(capsys.readouterr().out)
    assert result["week_problems"] == 500 and result["pdf_bytes"] > 0


def test_import_scenario_imports_then_rolls_back():
    from qingdan.bench.scenarios import import_scenario

    generate(50, enterprises=20, units=3, log=lambda _line: None)
    result = import_scenario(rows=300)
    assert result["rows"] == 300 and result["rows_per_s"] > 0
    assert Problem.objects.count() == 50  # rolled back
