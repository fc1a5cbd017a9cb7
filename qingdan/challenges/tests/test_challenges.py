import threading
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.urls import reverse

from conftest import make_user
from qingdan.challenges import actions
from qingdan.challenges.models import Application, ChallengeEvent, Milestone, State
from qingdan.lib import clock, errors
from qingdan.notifications.models import Notification
from qingdan.problems.models import ProblemEvent

pytestmark = pytest.mark.django_db


def later(days):
    return clock.today() + timedelta(days=days)


@pytest.fixture
def challenge(cast, make_problem):
    problem = make_problem("in_progress", title="园区供电可靠性不足")
    draft = actions.create(
        actor=cast.secretariat,
        title="园区智能电网改造",
        goal="将停电时间降到每年1小时以内",
        owner_unit=cast.power,
        application_deadline=later(10),
        delivery_deadline=later(120),
        support_funds_wan_yuan="500.00",
        problem=problem,
        enterprises=[cast.acme],
        criteria=[
            {"name": "技术方案", "weight": 40},
            {"name": "团队实力", "weight": 30},
            {"name": "成本与工期", "weight": 30},
        ],
    )
    return draft


def last(challenge):
    return challenge.events.order_by("-id").first()


def apply(challenge, user, name, **extra):
    return actions.apply(
        challenge,
        actor=user,
        team_kind="unit",
        team_name=name,
        leader_name=user.name,
        plan="分三期改造",
        milestones=f"{later(30)} 完成设计\n{later(90)} 完成施工",
        commitment="按期交付",
        **extra,
    )


@pytest.fixture
def teams(cast):
    return make_user("t-team", "team", name="中南大学电力团队", email="team@example.org")


def test_publish_apply_review_select_deliver_accept(challenge, cast, teams):
    assert challenge.code.startswith("JB-") and challenge.state == State.DRAFT
    assert last(challenge).action == "create"
    actions.publish(challenge, actor=cast.secretariat)
    assert challenge.state == State.PUBLISHED and last(challenge).action == "publish"
    assert ProblemEvent.objects.filter(action="challenge_publish").exists()  # problem timeline
    first = apply(challenge, cast.water_officer, "自来水公司团队")
    second = apply(challenge, teams, "中南大学电力团队")
    assert last(challenge).payload == {"team": "中南大学电力团队"}
    actions.start_review(challenge, actor=cast.secretariat)
    scores = {"技术方案": 90, "团队实力": 80, "成本与工期": 70}
    with pytest.raises(errors.NotAllowed):  # leaders watch; the owner unit and secretariat score
        actions.score(challenge, actor=cast.leader, application_id=second.pk, scores=scores)
    assert not challenge.applications.get(pk=second.pk).reviews.exists()
    review = actions.score(
        challenge, actor=cast.power_officer, application_id=second.pk, scores=scores
    )
    assert str(review.total) == "81.00" and last(challenge).action == "score"
    actions.select(challenge, actor=cast.secretariat, application_id=second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.state, first.state) == ("selected", "unsuccessful")
    assert challenge.state == State.SELECTED
    told = Notification.objects.filter(challenge=challenge)
    assert {n.recipient for n in told} == {cast.water_officer, teams}  # unsuccessful are told
    assert [m.title for m in challenge.milestones.all()] == ["完成设计", "完成施工"]
    with pytest.raises(errors.NotAllowed):
        actions.sign_letter(challenge, actor=cast.water_officer)  # not the selected team
    actions.sign_letter(challenge, actor=teams)
    assert challenge.state == State.DELIVERING
    milestone = challenge.milestones.first()
    change = actions.request_change(
        challenge, actor=teams, milestone_id=milestone.pk, new_due=later(40), reason="设备到货延迟"
    )
    actions.decide_change(challenge, actor=cast.secretariat, change_id=change.pk, approve=True)
    milestone.refresh_from_db()
    assert milestone.due == later(40) and last(challenge).payload["approved"] is True
    with pytest.raises(errors.InvalidInput):
        actions.deliver(challenge, actor=teams)  # milestones not reported yet
    for m in challenge.milestones.all():
        actions.report_milestone(challenge, actor=teams, milestone_id=m.pk, report="已完成")
    actions.deliver(challenge, actor=teams)
    assert challenge.state == State.ACCEPTING
    with pytest.raises(errors.NotAllowed):
        actions.rate(challenge, actor=cast.globex_contact, satisfaction="satisfied")
    actions.rate(
        challenge, actor=cast.acme_contact, satisfaction="satisfied", comment="停电明显减少"
    )
    actions.accept(
        challenge,
        actor=cast.secretariat,
        decision="passed",
        reasons="达到目标",
        follow_up="给予团队奖励",
    )
    assert challenge.state == State.PASSED
    assert last(challenge).payload == {"decision": "passed", "ratings": ["satisfied"]}
    assert ProblemEvent.objects.filter(action__startswith="challenge_").count() == 3


def test_withdraw_before_review_and_not_after(challenge, cast, teams):
    actions.publish(challenge, actor=cast.secretariat)
    apply(challenge, teams, "团队")
    actions.withdraw(challenge, actor=teams)
    assert Application.objects.get().state == "withdrawn"
    apply(challenge, teams, "团队再申请")
    actions.start_review(challenge, actor=cast.secretariat)
    with pytest.raises(errors.NotAllowed):
        actions.withdraw(challenge, actor=teams)


def test_rules_refuse_and_write_nothing(challenge, cast, teams):
    before = ChallengeEvent.objects.count()
    with pytest.raises(errors.NotAllowed):
        actions.publish(challenge, actor=cast.power_officer)
    with pytest.raises(errors.NotAllowed):
        apply(challenge, teams, "草稿阶段申请")  # not published yet
    actions.publish(challenge, actor=cast.secretariat)
    with pytest.raises(errors.NotAllowed):
        apply(challenge, cast.leader, "领导")  # leaders review, they do not apply
    with pytest.raises(errors.InvalidInput):
        actions.apply(
            challenge,
            actor=teams,
            team_kind="group",
            team_name="x",
            leader_name="y",
            plan="p",
            milestones="明天完成",
            commitment="c",
        )
    with pytest.raises(errors.InvalidInput):
        actions.start_review(challenge, actor=cast.secretariat)  # nobody applied
    assert ChallengeEvent.objects.count() == before + 1  # only the publish


def test_database_refuses_a_second_selected_team(challenge, cast, teams):
    actions.publish(challenge, actor=cast.secretariat)
    one, two = apply(challenge, teams, "一"), apply(challenge, cast.water_officer, "二")
    Application.objects.filter(pk=one.pk).update(state="selected")
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=two.pk).update(state="selected")


def test_failed_challenge_can_be_republished(challenge, cast, teams):
    actions.publish(challenge, actor=cast.secretariat)
    application = apply(challenge, teams, "团队")
    actions.start_review(challenge, actor=cast.secretariat)
    actions.select(challenge, actor=cast.secretariat, application_id=application.pk)
    actions.sign_letter(challenge, actor=teams)
    for m in challenge.milestones.all():
        actions.report_milestone(challenge, actor=teams, milestone_id=m.pk, report="做了")
    actions.deliver(challenge, actor=teams)
    actions.accept(challenge, actor=cast.secretariat, decision="failed", reasons="未达目标")
    again = actions.republish(
        challenge,
        actor=cast.secretariat,
        application_deadline=later(20),
        delivery_deadline=later(200),
    )
    assert again.republished_from == challenge and again.state == State.DRAFT
    assert last(challenge).payload == {"republished_as": again.code}


def test_pages_and_permissions(client, challenge, cast, teams):
    client.force_login(cast.acme_contact)
    assert client.get(challenge.get_absolute_url()).status_code == 404  # a draft
    assert client.get(challenge.get_public_url()).status_code == 404
    actions.publish(challenge, actor=cast.secretariat)
    client.logout()
    public = client.get(challenge.get_public_url()).content.decode()
    assert "园区智能电网改造" in public and cast.acme.name not in public and "某电子企业" in public
    assert client.get(reverse("public:challenges")).status_code == 200
    apply(challenge, teams, "团队甲")
    apply(challenge, cast.water_officer, "团队乙")
    client.force_login(cast.water_officer)
    page = client.get(challenge.get_absolute_url())
    assert [a.team_name for a in page.context["applications"]] == ["团队乙"]  # not the other's
    response = client.post(
        reverse("challenges:act", args=[challenge.code, "start_review"]),
        {"version": challenge.version},
    )
    assert response.status_code == 403
    client.force_login(cast.power_officer)  # the owner unit sees every application
    assert len(client.get(challenge.get_absolute_url()).context["applications"]) == 2
    client.force_login(cast.secretariat)
    response = client.post(
        reverse("challenges:act", args=[challenge.code, "start_review"]),
        {"version": challenge.version},
    )
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.state == State.REVIEWING


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_selections_at_the_same_moment_choose_exactly_one(cast, make_problem):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent transactions are tested on PostgreSQL")
    team = make_user("t-team2", "team", name="团队")
    for _round in range(3):
        challenge = actions.create(
            actor=cast.secretariat,
            title="并发挂帅",
            goal="g",
            owner_unit=cast.power,
            application_deadline=later(5),
            delivery_deadline=later(120),
        )
        actions.publish(challenge, actor=cast.secretariat)
        one = apply(challenge, team, "一")
        two = apply(challenge, cast.water_officer, "二")
        actions.start_review(challenge, actor=cast.secretariat)
        barrier = threading.Barrier(2)
        outcomes = []

        def pick(application_id, barrier=barrier, challenge=challenge, outcomes=outcomes):
            try:
                barrier.wait()
                from qingdan.challenges.models import Challenge

                actions.select(
                    Challenge.objects.get(pk=challenge.pk),
                    actor=cast.secretariat,
                    application_id=application_id,
                )
                outcomes.append("ok")
            except errors.ActionError as refused:
                outcomes.append(type(refused).__name__)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=pick, args=(a.pk,)) for a in (one, two)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        # One selection applies; the other finds the state changed (or the database refuses).
        assert outcomes.count("ok") == 1 and len(outcomes) == 2, outcomes
        assert Application.objects.filter(challenge=challenge, state="selected").count() == 1
        assert Milestone.objects.filter(challenge=challenge).count() == 2
        assert ChallengeEvent.objects.filter(challenge=challenge, action="select").count() == 1


def test_criteria_weights_must_add_up_and_dates_must_make_sense(cast):
    with pytest.raises(errors.InvalidInput):
        actions.create(
            actor=cast.secretariat,
            title="t",
            goal="g",
            owner_unit=cast.power,
            application_deadline=later(10),
            delivery_deadline=later(5),
        )
    with pytest.raises(errors.InvalidInput):
        actions.create(
            actor=cast.secretariat,
            title="t",
            goal="g",
            owner_unit=cast.power,
            application_deadline=later(1),
            delivery_deadline=later(5),
            criteria=[{"name": "a", "weight": 50}],
        )
    with pytest.raises(errors.NotAllowed):
        actions.create(
            actor=cast.power_officer,
            title="t",
            goal="g",
            owner_unit=cast.power,
            application_deadline=later(1),
            delivery_deadline=date(2099, 1, 1),
        )


def test_anyone_can_follow_a_public_challenge_and_hears_of_its_steps(
    client, challenge, cast, teams
):
    from qingdan.notifications.models import Subscription

    actions.publish(challenge, actor=cast.secretariat)
    client.force_login(cast.globex_contact)  # not concerned by it, but it is public
    client.post(reverse("follow"), {"challenge": challenge.code})
    assert Subscription.objects.filter(user=cast.globex_contact, challenge=challenge).exists()
    apply(challenge, teams, "团队")
    actions.start_review(challenge, actor=cast.secretariat)
    told = Notification.objects.filter(challenge=challenge, recipient=cast.globex_contact)
    assert told.count() == 1


def test_milestone_report_carries_checked_evidence(client, challenge, cast, teams):
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
        b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
        b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    actions.publish(challenge, actor=cast.secretariat)
    chosen = apply(challenge, teams, "团队")
    actions.start_review(challenge, actor=cast.secretariat)
    actions.select(challenge, actor=cast.secretariat, application_id=chosen.pk)
    actions.sign_letter(challenge, actor=teams)
    milestone = challenge.milestones.first()
    client.force_login(teams)
    url = reverse("challenges:act", args=[challenge.code, "report_milestone"])
    bad = client.post(
        url,
        {
            "version": challenge.version,
            "milestone_id": milestone.pk,
            "report": "完成",
            "evidence": SimpleUploadedFile("x.pdf", b"nope"),
        },
    )
    assert bad.status_code == 400
    milestone.refresh_from_db()
    assert milestone.reported_at is None
    client.post(
        url,
        {
            "version": challenge.version,
            "milestone_id": milestone.pk,
            "report": "完成",
            "evidence": SimpleUploadedFile("现场.png", png),
        },
    )
    milestone.refresh_from_db()
    assert milestone.reported_at and milestone.evidence_type == "image/png"
    download = client.get(reverse("challenges:evidence", args=[challenge.code, milestone.pk]))
    assert b"".join(download.streaming_content) == png
    client.force_login(cast.globex_contact)  # an enterprise not concerned by the challenge
    assert (
        client.get(reverse("challenges:evidence", args=[challenge.code, milestone.pk])).status_code
        == 404
    )
    client.force_login(cast.acme_contact)  # concerned
    assert (
        client.get(reverse("challenges:evidence", args=[challenge.code, milestone.pk])).status_code
        == 200
    )
    client.logout()
    assert (
        client.get(reverse("challenges:evidence", args=[challenge.code, milestone.pk])).status_code
        == 302
    )
