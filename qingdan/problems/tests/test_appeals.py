"""申诉复核: a unit appeals a lateness judgement or a rating within N working days; the
secretariat (never the appealing unit) upholds or overturns; an overturned judgement changes the
figures computed afterwards, never a published bulletin; every step is an event."""

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qingdan.api.models import issue_token
from qingdan.bulletins import actions as bulletin_actions
from qingdan.bulletins.content import build
from qingdan.lib.errors import InvalidInput, NotAllowed
from qingdan.problems import actions, appeals
from qingdan.problems.models import Appeal, AppealEvent, KpiSettings, Satisfaction

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")
WEEK = date(2026, 11, 9)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at(day: date, hour=10):
    return time_machine.travel(
        datetime.combine(day, datetime.min.time(), BEIJING) + timedelta(hours=hour), tick=False
    )


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user, name='t')[1]}"}


@pytest.fixture
def late(make_problem, cast):
    """Raised and assigned Monday 11-09 (completion deadline 5 working days later, 11-16),
    completed late on Tuesday 11-17."""
    with at(date(2026, 11, 9)):
        problem = make_problem("in_progress")
    assert problem.deadline == date(2026, 11, 16)
    with at(date(2026, 11, 17)):
        actions.complete(problem, actor=cast.power_officer, report="已办结")
    return problem


def on_time_rate(as_of: date):
    with at(as_of, 9):
        content = build(WEEK)
    return content["overall"]["on_time_rate"], content


def test_an_overturned_lateness_changes_the_next_figures_not_the_published_ones(late, cast):
    with at(date(2026, 11, 18)):
        appeal = appeals.file_appeal(
            late,
            actor=cast.power_officer,
            kind="lateness",
            reason="停电窗口由电网调度决定",
            evidence=SimpleUploadedFile("调度通知.pdf", PDF, content_type="application/pdf"),
        )
    assert appeal.state == "pending" and appeal.evidence
    assert [e.action for e in AppealEvent.objects.all()] == ["file"]
    with at(date(2026, 11, 23), 9):
        published = bulletin_actions.publish(
            bulletin_actions.generate_draft(WEEK, actor=cast.secretariat),
            actor=cast.secretariat,
            confirm=True,
        )
    assert published.content["overall"]["on_time_rate"] == "0.0000"
    with at(date(2026, 11, 24)):
        appeals.decide(appeal, actor=cast.secretariat, overturn=True, reason="调度原因，不计超期")
    appeal.refresh_from_db()
    assert appeal.state == "overturned" and appeal.decided_by == cast.secretariat
    event = AppealEvent.objects.get(action="overturn")
    assert (event.from_state, event.to_state, event.actor) == (
        "pending",
        "overturned",
        cast.secretariat,
    )
    # Figures computed after the decision count it on time; the published issue is unchanged.
    assert on_time_rate(date(2026, 11, 25))[0] == "1.0000"
    assert on_time_rate(date(2026, 11, 23))[0] == "0.0000"  # as of before the decision
    published.refresh_from_db()
    assert published.content["overall"]["on_time_rate"] == "0.0000"
    # A correction is a new version saying what it corrects, and lists the decided appeal in
    # the bulletin of the week it was decided.
    with at(date(2026, 11, 25)):
        correction = bulletin_actions.correct(
            published, actor=cast.secretariat, note="申诉复核：撤销一项超期认定"
        )
    assert correction.content["overall"]["on_time_rate"] == "1.0000"
    with at(date(2026, 11, 30), 9):
        next_week = build(date(2026, 11, 23))
    assert [(a["number"], a["state"]) for a in next_week["appeals"]] == [
        (late.number, "overturned")
    ]


def test_an_overturned_rating_is_struck_out(make_problem, cast):
    with at(date(2026, 11, 9)):
        problem = make_problem("resolved")
    with at(date(2026, 11, 10)):
        actions.rate(problem, actor=cast.acme_contact, solved=True, satisfaction=Satisfaction.BASIC)
        appeal = appeals.file_appeal(
            problem, actor=cast.power_officer, kind="rating", reason="企业误评"
        )
    with at(date(2026, 11, 11)):
        appeals.decide(appeal, actor=cast.secretariat, overturn=False, reason="评价有据")
    assert on_time_rate(date(2026, 11, 12))[1]["overall"]["rated"] == 1  # upheld: it stays
    assert AppealEvent.objects.get(action="uphold").note == "评价有据"


def test_refusals_write_nothing(late, cast, make_problem):
    with at(date(2026, 11, 18)):
        with pytest.raises(NotAllowed):  # another unit
            appeals.file_appeal(late, actor=cast.water_officer, kind="lateness", reason="x")
        with pytest.raises(InvalidInput):  # no reason
            appeals.file_appeal(late, actor=cast.power_officer, kind="lateness", reason="  ")
        with pytest.raises(InvalidInput):  # not rated: no rating to appeal
            appeals.file_appeal(late, actor=cast.power_officer, kind="rating", reason="x")
    with at(date(2026, 11, 9)):
        on_time = make_problem("resolved")
    with at(date(2026, 11, 10)), pytest.raises(InvalidInput):  # nothing late
        appeals.file_appeal(on_time, actor=cast.power_officer, kind="lateness", reason="x")
    # The window: 3 working days after the judgement of 11-17 → by 11-20.
    with at(date(2026, 11, 23)), pytest.raises(InvalidInput):
        appeals.file_appeal(late, actor=cast.power_officer, kind="lateness", reason="迟了")
    assert not Appeal.objects.exists() and not AppealEvent.objects.exists()


def test_the_window_is_the_secretariats_setting(late, cast):
    KpiSettings.objects.create(pk=1, appeal_workdays=5)
    with at(date(2026, 11, 23)):  # 4 working days after 11-17
        appeals.file_appeal(late, actor=cast.power_officer, kind="lateness", reason="在期限内")
    assert Appeal.objects.count() == 1


def test_the_appealing_unit_cannot_decide(late, cast, client):
    with at(date(2026, 11, 18)):
        appeal = appeals.file_appeal(late, actor=cast.power_officer, kind="lateness", reason="理由")
    for person in (cast.power_officer, cast.power_head):
        with pytest.raises(NotAllowed):
            appeals.decide(appeal, actor=person, overturn=True, reason="自己改")
        response = client.post(
            f"/api/v1/appeals/{appeal.pk}/decide",
            json.dumps({"decision": "overturn", "reason": "自己改"}),
            content_type="application/json",
            **bearer(person),
        )
        assert response.status_code == 403
    # A secretariat member who belongs to the appealing unit cannot decide either.
    cast.secretariat.unit = cast.power
    cast.secretariat.save(update_fields=["unit"])
    with pytest.raises(NotAllowed):
        appeals.decide(appeal, actor=cast.secretariat, overturn=True, reason="x")
    appeal.refresh_from_db()
    assert appeal.state == "pending" and AppealEvent.objects.count() == 1


def test_api_twins_file_and_decide(late, cast, client):
    with at(date(2026, 11, 18)):
        filed = client.post(
            f"/api/v1/problems/{late.number}/appeals",
            {
                "kind": "lateness",
                "reason": "调度原因",
                "evidence": SimpleUploadedFile("通知.pdf", PDF, content_type="application/pdf"),
            },
            **bearer(cast.power_officer),
        )
        assert filed.status_code == 201, filed.content
        body = filed.json()
        assert (body["state"], body["has_evidence"], body["unit"]) == ("pending", True, "供电公司")
        # Another unit cannot see the problem: 404, nothing written.
        other = client.post(
            f"/api/v1/problems/{late.number}/appeals",
            {"kind": "rating", "reason": "x"},
            **bearer(cast.water_officer),
        )
        assert other.status_code == 404
        assert client.get("/api/v1/appeals", **bearer(cast.water_officer)).json() == []
        decided = client.post(
            f"/api/v1/appeals/{body['id']}/decide",
            json.dumps({"decision": "uphold", "reason": "超期属实", "version": body["version"]}),
            content_type="application/json",
            **bearer(cast.secretariat),
        )
    assert decided.status_code == 200 and decided.json()["state"] == "upheld"
    assert list(AppealEvent.objects.values_list("action", flat=True)) == ["file", "uphold"]


def test_pages_file_and_decide(late, cast, client):
    client.force_login(cast.power_officer)
    with at(date(2026, 11, 18)):
        assert client.get(reverse("problems:appeals")).status_code == 200
        response = client.post(
            reverse("problems:file_appeal"),
            {"number": late.number, "kind": "lateness", "reason": "调度原因"},
        )
        assert response.status_code == 302
        appeal = Appeal.objects.get()
        # The unit's page offers no decision; the secretariat's does.
        assert "/decide/" not in client.get(reverse("problems:appeals")).content.decode()
        client.force_login(cast.water_officer)
        assert (
            client.post(
                reverse("problems:decide_appeal", args=[appeal.pk]),
                {"decision": "overturn", "reason": "x"},
            ).status_code
            == 404
        )
        client.force_login(cast.secretariat)
        page = client.get(reverse("problems:appeals")).content.decode()
        assert f"/problems/appeals/{appeal.pk}/decide/" in page
        client.post(
            reverse("problems:decide_appeal", args=[appeal.pk]),
            {"decision": "overturn", "reason": "调度原因", "version": 1},
        )
    appeal.refresh_from_db()
    assert appeal.state == "overturned"


def test_scoring_settings_page_and_api(cast, client):
    client.force_login(cast.secretariat)
    form = {
        "min_scored": 5,
        "weight_response": "0.25",
        "weight_on_time": "0.25",
        "weight_satisfaction": "0.25",
        "weight_first_time": "0.25",
        "basic_weight": "0.8",
        "appeal_workdays": 4,
    }
    assert client.post(reverse("problems:scoring"), form).status_code == 302
    row = KpiSettings.objects.get()
    assert (row.min_scored, str(row.basic_weight), row.appeal_workdays) == (5, "0.80", 4)
    public = client.get("/api/v1/figures/scoring").json()
    assert public["min_scored"] == 5 and "5" in public["formula"]
    refused = client.put(
        "/api/v1/figures/scoring",
        json.dumps(form | {"min_scored": 2}),
        content_type="application/json",
        **bearer(cast.power_officer),
    )
    assert refused.status_code == 403
    zero = form | {
        "weight_response": 0,
        "weight_on_time": 0,
        "weight_satisfaction": 0,
        "weight_first_time": 0,
    }
    bad = client.put(
        "/api/v1/figures/scoring",
        json.dumps(zero),
        content_type="application/json",
        **bearer(cast.secretariat),
    )
    assert bad.status_code in (400, 422)
    assert KpiSettings.objects.get().min_scored == 5
