"""The team's application form (issue 16): milestones as dates picked in the browser (no
"YYYY-MM-DD" text lines), the team's name already filled in."""

from datetime import timedelta

import pytest
from django.urls import reverse

from conftest import make_user
from qingdan.challenges import actions
from qingdan.challenges.models import Application, Challenge
from qingdan.challenges.tests.test_challenges import challenge  # noqa: F401 (fixture)
from qingdan.lib import clock

pytestmark = pytest.mark.django_db


def test_a_team_applies_with_milestone_dates(client, cast, challenge):  # noqa: F811
    actions.publish(challenge, actor=cast.secretariat)
    team = make_user("t-team2", "team", name="湘江智造团队")
    client.force_login(team)
    page = client.get(challenge.get_absolute_url()).content.decode()
    assert 'name="milestone_date_1"' in page and 'type="date"' in page
    assert 'value="湘江智造团队"' in page  # the team's name, already there
    day = clock.today() + timedelta(days=20)
    later = clock.today() + timedelta(days=40)
    response = client.post(
        reverse("challenges:act", args=[challenge.code, "apply"]),
        {
            "version": challenge.version,
            "team_kind": "enterprise",
            "team_name": "湘江智造团队",
            "leader_name": "刘工",
            "plan": "两期",
            "commitment": "按期交付",
            "milestone_date_1": later.isoformat(),
            "milestone_what_1": "完成施工",
            "milestone_date_2": day.isoformat(),
            "milestone_what_2": "完成设计",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    application = Application.objects.get(applicant=team)
    assert application.milestones == f"{later.isoformat()} 完成施工\n{day.isoformat()} 完成设计"
    assert [d for d, _t in actions.parse_milestones(application.milestones)] == [day, later]


def test_a_milestone_without_its_date_is_refused_and_nothing_is_saved(client, cast, challenge):  # noqa: F811,E501
    actions.publish(challenge, actor=cast.secretariat)
    team = make_user("t-team3", "team", name="团队三")
    client.force_login(team)
    response = client.post(
        reverse("challenges:act", args=[challenge.code, "apply"]),
        {
            "version": challenge.version,
            "team_kind": "enterprise",
            "team_name": "团队三",
            "leader_name": "刘工",
            "plan": "两期",
            "commitment": "按期交付",
            "milestone_what_1": "完成设计",
        },
    )
    assert response.status_code == 400
    assert not Application.objects.exists()
    assert Challenge.objects.get(pk=challenge.pk).version == challenge.version
