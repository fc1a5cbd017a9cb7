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


def test_a_team_attaches_its_proposal_and_only_staff_and_the_team_can_read_it(
    client,
    cast,
    challenge,  # noqa: F811
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qingdan.challenges.models import ChallengeEvent

    actions.publish(challenge, actor=cast.secretariat)
    team = make_user("t-team4", "team", name="长沙智造团队")
    client.force_login(team)
    page = client.get(challenge.get_absolute_url()).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="attachment"' in page
    day = clock.today() + timedelta(days=20)
    fields = {
        "version": challenge.version,
        "team_kind": "enterprise",
        "team_name": "长沙智造团队",
        "leader_name": "周工",
        "plan": "一期",
        "commitment": "按期交付",
        "milestone_date_1": day.isoformat(),
        "milestone_what_1": "完成设计",
    }
    events_before = ChallengeEvent.objects.count()
    bad = SimpleUploadedFile(
        "方案.exe", b"MZ\x90\x00binary", content_type="application/x-msdownload"
    )
    response = client.post(
        reverse("challenges:act", args=[challenge.code, "apply"]), fields | {"attachment": bad}
    )
    assert response.status_code >= 400 and not Application.objects.filter(applicant=team).exists()
    assert ChallengeEvent.objects.count() == events_before  # refused: no event written
    pdf = SimpleUploadedFile("方案.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    challenge.refresh_from_db()
    response = client.post(
        reverse("challenges:act", args=[challenge.code, "apply"]),
        fields | {"version": challenge.version, "attachment": pdf},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    application = Application.objects.get(applicant=team)
    assert ChallengeEvent.objects.filter(challenge=challenge, action="apply").exists()
    url = reverse("challenges:application_attachment", args=[challenge.code, application.pk])
    assert client.get(url).status_code == 200  # the team itself
    client.force_login(cast.secretariat)
    assert client.get(url).status_code == 200
    assert url in client.get(challenge.get_absolute_url()).content.decode()
    other_team = make_user("t-team5", "team", name="别的团队")
    client.force_login(other_team)
    assert client.get(url).status_code == 404
    client.force_login(cast.acme_contact)
    assert client.get(url).status_code == 404
