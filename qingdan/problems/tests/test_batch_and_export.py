"""Batch work on lists (one transaction per row, a summary of done and refused) and the
filtered list exported to Excel."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from qingdan.exchange.models import ExchangeDay
from qingdan.problems import actions, batch
from qingdan.problems.models import ProblemEvent, Status

BEIJING = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=BEIJING)


def test_accept_and_assign_ten_problems_of_an_exchange_day_in_one_step(make_problem, cast, client):
    with time_machine.travel(MONDAY):
        day = ExchangeDay.objects.create(date=date(2026, 11, 23), chair="李主任")
        problems = [make_problem(title=f"问题{i}") for i in range(10)]
        for problem in problems:
            problem.exchange_day = day
            problem.save(update_fields=["exchange_day"])
        make_problem(title="别的日子")
        client.force_login(cast.secretariat)
        listed = client.get(reverse("problems:intake") + "?tab=submitted&exchange_day=2026-11-23")
        assert len(listed.context["rows"]) == 10
        page = client.post(
            reverse("problems:batch"),
            {
                "action": "accept_assign",
                "numbers": [p.number for p in problems],
                "lead_unit": cast.power.pk,
                "deadline": "2026-12-04",
            },
        )
    assert page.status_code == 200
    summary = page.context["summary"]
    assert len(summary.done) == 10 and summary.refused == []
    for problem in problems:
        problem.refresh_from_db()
        assert (problem.status, problem.lead_unit, problem.deadline) == (
            Status.ASSIGNED,
            cast.power,
            date(2026, 12, 4),
        )
        assert [e.action for e in problem.events.order_by("id")] == ["raise", "accept", "assign"]


def test_a_refused_row_is_reported_and_leaves_nothing_half_done(make_problem, cast):
    with time_machine.travel(MONDAY):
        fresh = make_problem()
        accepted = make_problem("accepted", title="已受理")
        summary = batch.run(
            cast.secretariat, "accept_assign", [fresh, accepted], lead_unit=cast.water
        )
    assert summary.done == [fresh.number]
    assert [number for number, _reason in summary.refused] == [accepted.number]
    accepted.refresh_from_db()
    assert accepted.status == Status.ACCEPTED  # nothing of the row was written
    assert accepted.events.count() == 2


def test_batch_assign_needs_the_lead_unit_before_any_row(make_problem, cast):
    problem = make_problem("accepted")
    with pytest.raises(Exception) as refused:
        batch.run(cast.secretariat, "assign", [problem])
    assert "lead" in str(refused.value).lower() or "牵头" in str(refused.value)
    assert problem.events.count() == 2


def test_units_sign_for_many_and_cannot_touch_other_units_tasks(make_problem, cast, client):
    with time_machine.travel(MONDAY):
        mine = [make_problem("assigned", title=f"供电{i}") for i in range(3)]
        theirs = make_problem("assigned", title="供水", lead_unit=cast.water)
        client.force_login(cast.power_officer)
        page = client.post(
            reverse("problems:batch"),
            {
                "action": "sign",
                "numbers": [p.number for p in mine] + [theirs.number],
            },
        )
    # The other unit's task is not even found: nothing is done, and it says which number.
    assert page.status_code == 400 and theirs.number in page.content.decode()
    assert not ProblemEvent.objects.filter(action="sign").exists()
    with time_machine.travel(MONDAY):
        answer = client.post(
            "/api/v1/batch/problems",
            {
                "action": "sign",
                "numbers": " ".join(p.number for p in mine),
            },
            content_type="application/json",
        )
    assert answer.status_code == 200, answer.content
    assert answer.json()["done"] == [p.number for p in mine]


def test_secretariat_urges_a_batch_and_the_refusals_say_why(make_problem, cast):
    with time_machine.travel(MONDAY):
        running = make_problem("in_progress")
        waiting = make_problem(title="未受理")
        summary = batch.run(cast.secretariat, "urge", [running, waiting], note="请加快")
    assert summary.done == [running.number]
    assert summary.refused[0][0] == waiting.number and summary.refused[0][1]
    assert running.events.filter(action="urge").count() == 1


def test_enterprise_cannot_batch(make_problem, cast, client):
    problem = make_problem()
    client.force_login(cast.acme_contact)
    page = client.post(reverse("problems:batch"), {"action": "accept", "numbers": problem.number})
    assert page.status_code == 200 and page.context["summary"].done == []
    problem.refresh_from_db()
    assert problem.status == Status.SUBMITTED


def rows_of(response) -> list[tuple]:
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data)).active
    return list(sheet.iter_rows(values_only=True))


def test_export_is_every_filtered_row_and_never_a_formula(make_problem, cast, client):
    with time_machine.travel(MONDAY):
        for i in range(60):  # more than one page of the list
            make_problem(title=f"问题{i}")
        make_problem(title='=HYPERLINK("http://x")', enterprise=cast.globex)
    client.force_login(cast.secretariat)
    everything = rows_of(client.get(reverse("problems:list") + "?export=xlsx"))
    assert len(everything) == 62  # the header and every row, not one page
    assert any(row[1] == '=HYPERLINK("http://x")' for row in everything)
    only_globex = rows_of(client.get(reverse("problems:list") + "?export=xlsx&enterprise=乙新材料"))
    assert len(only_globex) == 2
    client.force_login(cast.acme_contact)
    mine = rows_of(client.get(reverse("problems:list") + "?export=xlsx"))
    assert len(mine) == 61 and all(row[2] != cast.globex.name for row in mine[1:])


def test_lists_filter_by_date_range_enterprise_and_status(make_problem, cast, client):
    with time_machine.travel(datetime(2026, 11, 2, 9, 0, tzinfo=BEIJING)):
        early = make_problem(title="早")
    with time_machine.travel(MONDAY):
        late = make_problem(title="晚")
        other = make_problem(title="乙", enterprise=cast.globex)
        actions.accept(late, actor=cast.secretariat)
    client.force_login(cast.secretariat)

    def numbers(query):
        page = client.get(reverse("problems:list") + query)
        return {p.number for p, _c in page.context["rows"]}

    assert numbers("?raised_after=2026-11-20") == {late.number, other.number}
    assert numbers("?raised_before=2026-11-02") == {early.number}
    assert numbers("?raised_after=2026-11-20&enterprise=甲电子") == {late.number}
    assert numbers("?status=accepted") == {late.number}
    assert numbers("?raised_after=not-a-date") == {early.number, late.number, other.number}
