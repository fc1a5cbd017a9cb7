"""回访 (follow-up call) recorded as its own step (issue 16): the person called, the time and
the outcome, through the engine, one event, on the timeline, with its API twin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qingdan.lib import clock
from qingdan.lib.errors import InvalidInput, NotAllowed
from qingdan.problems import actions
from qingdan.problems.models import ProblemEvent, Status

pytestmark = pytest.mark.django_db


def test_the_secretariat_records_a_follow_up_call_on_the_page(client, cast, make_problem):
    problem = make_problem("resolved")
    client.force_login(cast.secretariat)
    page = client.get(problem.get_absolute_url()).content.decode()
    assert 'id="action-follow_up"' in page and 'type="datetime-local"' in page
    called = timezone.localtime(clock.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("problems:act", args=[problem.number, "follow_up"]),
        {
            "follow_up-version": problem.version,
            "follow_up-person_called": "王经理 13800000000",
            "follow_up-called_at": called,
            "follow_up-outcome": "satisfied",
            "follow_up-note": "已恢复供电，企业满意。",
        },
    )
    assert response.status_code == 302
    event = ProblemEvent.objects.get(problem=problem, action="follow_up")
    assert event.actor == cast.secretariat
    assert event.payload["person_called"] == "王经理 13800000000"
    assert event.payload["outcome"] == "satisfied"
    assert event.payload["called_at"].startswith(called)
    problem.refresh_from_db()
    assert problem.status == Status.RESOLVED  # a call changes no state
    timeline = client.get(problem.get_absolute_url()).content.decode()
    assert "王经理 13800000000" in timeline and "已接通：满意" in timeline


def test_a_follow_up_through_the_api_is_the_same_step(client, cast, make_problem):
    problem = make_problem("resolved")
    client.force_login(cast.secretariat)
    response = client.post(
        f"/api/v1/problems/{problem.number}/actions/follow_up",
        {"person_called": "李总", "called_at": "2026-01-05T10:30", "outcome": "unreachable"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert ProblemEvent.objects.get(problem=problem, action="follow_up").payload["outcome"] == (
        "unreachable"
    )


def test_refused_follow_ups_write_no_event(cast, make_problem):
    problem = make_problem("in_progress")
    now = clock.now()
    with pytest.raises(NotAllowed):  # not yet reported completed
        actions.follow_up(
            problem,
            actor=cast.secretariat,
            person_called="王经理",
            called_at=now,
            outcome="satisfied",
        )
    resolved = make_problem("resolved", title="另一问题")
    with pytest.raises(NotAllowed):  # the enterprise does not record the secretariat's call
        actions.follow_up(
            resolved,
            actor=cast.acme_contact,
            person_called="王经理",
            called_at=now,
            outcome="satisfied",
        )
    with pytest.raises(InvalidInput):
        actions.follow_up(
            resolved,
            actor=cast.secretariat,
            person_called="王经理",
            called_at=now + timedelta(days=1),
            outcome="satisfied",
        )
    with pytest.raises(InvalidInput):
        actions.follow_up(
            resolved, actor=cast.secretariat, person_called=" ", called_at=now, outcome="satisfied"
        )
    assert not ProblemEvent.objects.filter(action="follow_up").exists()


def test_another_enterprise_cannot_reach_the_step(client, cast, make_problem):
    problem = make_problem("resolved")
    client.force_login(cast.globex_contact)
    url = reverse("problems:act", args=[problem.number, "follow_up"])
    assert client.post(url, {"follow_up-person_called": "x"}).status_code == 404
    assert not ProblemEvent.objects.filter(action="follow_up").exists()
