"""领导批示 on a challenge: a leader instructs, the owner unit acknowledges, each step one event,
on the page, through the API, on the leaders' instructions page, with its notices."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse

from conftest import make_user
from qingdan.api.models import issue_token
from qingdan.challenges import actions
from qingdan.challenges.models import ChallengeEvent, ChallengeInstruction, State
from qingdan.challenges.workflow import CHALLENGES
from qingdan.core.templatetags.fmt import when_text
from qingdan.lib import clock, errors
from qingdan.notifications.models import Notification

pytestmark = pytest.mark.django_db


def later(days):
    return clock.today() + timedelta(days=days)


@pytest.fixture
def challenge(cast):
    draft = actions.create(
        actor=cast.secretariat,
        title="园区智能电网改造",
        goal="将停电时间降到每年1小时以内",
        owner_unit=cast.power,
        application_deadline=later(10),
        delivery_deadline=later(120),
    )
    actions.publish(draft, actor=cast.secretariat)
    return draft


@pytest.fixture
def teams(cast):
    return make_user("t-team", "team", name="中南大学电力团队")


def last(challenge):
    return challenge.events.order_by("-id").first()


def told(challenge, action) -> set:
    return {n.recipient for n in Notification.objects.filter(challenge=challenge, action=action)}


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user, name='test')[1]}"}


def post(client, url, data, auth):
    return client.post(url, json.dumps(data), content_type="application/json", **auth)


def test_leader_instructs_and_owner_unit_acknowledges(challenge, cast):
    instruction = actions.instruct(challenge, actor=cast.leader, text="务必按期完成改造")
    event = last(challenge)
    assert event.action == "instruct" and event.note == "务必按期完成改造"
    assert event.payload == {"instruction_id": instruction.pk, "leader_ids": [cast.leader.pk]}
    assert event.from_state == event.to_state == State.PUBLISHED
    assert {cast.power_officer, cast.power_head} <= told(challenge, "instruct")
    assert cast.leader not in told(challenge, "instruct")
    assert cast.water_officer not in told(challenge, "instruct")
    assert "acknowledge_instruction" in CHALLENGES.allowed(cast.power_officer, challenge)
    assert "acknowledge_instruction" not in CHALLENGES.allowed(cast.water_officer, challenge)

    actions.acknowledge_instruction(challenge, actor=cast.power_head, note="已组织专班跟进")
    instruction.refresh_from_db()
    assert instruction.acknowledged_by == cast.power_head
    assert instruction.acknowledgement == "已组织专班跟进"
    assert instruction.acknowledged_at is not None
    ack = last(challenge)
    assert ack.action == "acknowledge_instruction"
    assert ack.payload == {"instruction_ids": [instruction.pk], "leader_ids": [cast.leader.pk]}
    assert told(challenge, "acknowledge_instruction") == {cast.leader}
    challenge.refresh_from_db()
    assert challenge.state == State.PUBLISHED  # neither step changes the challenge's state


def test_refused_steps_write_no_event(challenge, cast):
    before = ChallengeEvent.objects.count()
    for person in (cast.secretariat, cast.power_officer, cast.acme_contact):
        with pytest.raises(errors.NotAllowed):
            actions.instruct(challenge, actor=person, text="x")
    with pytest.raises(errors.NotAllowed):  # nothing waits to be acknowledged
        actions.acknowledge_instruction(challenge, actor=cast.power_officer, note="x")
    with pytest.raises(errors.InvalidInput):  # an empty instruction
        actions.instruct(challenge, actor=cast.leader, text="   ")
    actions.instruct(challenge, actor=cast.leader, text="抓紧")
    before = ChallengeEvent.objects.count()
    for person in (cast.water_officer, cast.leader, cast.secretariat, cast.acme_contact):
        with pytest.raises(errors.NotAllowed):  # not the owner unit
            actions.acknowledge_instruction(challenge, actor=person, note="x")
    with pytest.raises(errors.InvalidInput):
        actions.acknowledge_instruction(challenge, actor=cast.power_officer, note="")
    with pytest.raises(errors.Conflict):  # a stale page
        actions.acknowledge_instruction(
            challenge, actor=cast.power_officer, note="x", expected_version=0
        )
    assert ChallengeEvent.objects.count() == before
    assert not ChallengeInstruction.objects.filter(acknowledged_at__isnull=False).exists()


def test_rules_are_in_the_challenges_table(cast):
    for state in State.values:
        assert CHALLENGES.table[(state, "instruct")].parties == {"leader"}
        rule = CHALLENGES.table[(state, "acknowledge_instruction")]
        assert rule.parties == {"owner"} and rule.guard == "instruction_pending"


def test_page_shows_the_instruction_on_top_and_in_the_timeline(challenge, cast, client):
    client.force_login(cast.leader)
    assert 'id="action-instruct"' in client.get(challenge.get_absolute_url()).content.decode()
    url = reverse("challenges:act", args=[challenge.code, "instruct"])
    done = client.post(url, {"text": "请月底前汇报进展", "version": challenge.version})
    assert done.status_code == 302
    assert last(challenge).action == "instruct"
    client.force_login(cast.power_officer)
    page = client.get(challenge.get_absolute_url()).content.decode()
    assert page.index('id="instructions"') < page.index("timeline")
    assert "请月底前汇报进展" in page and 'id="action-acknowledge_instruction"' in page
    assert 'data-action="instruct"' in page  # on the timeline
    challenge.refresh_from_db()
    url = reverse("challenges:act", args=[challenge.code, "acknowledge_instruction"])
    done = client.post(url, {"note": "已安排", "version": challenge.version})
    assert done.status_code == 302
    page = client.get(challenge.get_absolute_url()).content.decode()
    assert 'data-action="acknowledge_instruction"' in page and "已安排" in page
    assert 'id="action-acknowledge_instruction"' not in page


def test_page_refuses_the_wrong_unit_and_hides_drafts(challenge, cast, client):
    actions.instruct(challenge, actor=cast.leader, text="抓紧")
    client.force_login(cast.water_officer)
    page = client.get(challenge.get_absolute_url()).content.decode()
    assert "抓紧" in page  # shown to whoever sees the challenge
    assert 'id="action-acknowledge_instruction"' not in page and 'id="action-instruct"' not in page
    url = reverse("challenges:act", args=[challenge.code, "acknowledge_instruction"])
    refused = client.post(url, {"note": "x"})
    assert refused.status_code == 403 and last(challenge).action == "instruct"
    draft = actions.create(
        actor=cast.secretariat,
        title="草稿",
        goal="目标",
        owner_unit=cast.power,
        application_deadline=later(10),
        delivery_deadline=later(120),
    )
    client.force_login(cast.leader)
    hidden = client.post(reverse("challenges:act", args=[draft.code, "instruct"]), {"text": "x"})
    assert hidden.status_code == 404 and last(draft).action == "create"


def test_api_twin(challenge, cast, client):
    base = f"/api/v1/challenges/{challenge.code}/actions"
    refused = post(client, f"{base}/instruct", {"text": "x"}, bearer(cast.power_officer))
    assert refused.status_code == 403 and last(challenge).action == "publish"
    done = post(client, f"{base}/instruct", {"text": "加快进度"}, bearer(cast.leader))
    assert done.status_code == 200 and last(challenge).action == "instruct"
    assert "acknowledge_instruction" not in done.json()["allowed_actions"]
    wrong = post(
        client, f"{base}/acknowledge_instruction", {"note": "x"}, bearer(cast.water_officer)
    )
    assert wrong.status_code == 403 and last(challenge).action == "instruct"
    empty = post(
        client, f"{base}/acknowledge_instruction", {"note": ""}, bearer(cast.power_officer)
    )
    assert empty.status_code in (400, 422) and last(challenge).action == "instruct"
    done = post(
        client, f"{base}/acknowledge_instruction", {"note": "已落实"}, bearer(cast.power_officer)
    )
    assert done.status_code == 200 and last(challenge).action == "acknowledge_instruction"
    assert ChallengeInstruction.objects.get().acknowledgement == "已落实"
    draft = actions.create(
        actor=cast.secretariat,
        title="草稿",
        goal="目标",
        owner_unit=cast.power,
        application_deadline=later(10),
        delivery_deadline=later(120),
    )
    hidden = post(
        client,
        f"/api/v1/challenges/{draft.code}/actions/instruct",
        {"text": "x"},
        bearer(cast.leader),
    )
    assert hidden.status_code == 404 and last(draft).action == "create"


def test_leaders_instructions_page_lists_challenge_instructions(challenge, cast, client):
    other = actions.create(
        actor=cast.secretariat,
        title="供水管网监测",
        goal="漏损率降到8%",
        owner_unit=cast.water,
        application_deadline=later(10),
        delivery_deadline=later(120),
    )
    actions.publish(other, actor=cast.secretariat)
    actions.instruct(challenge, actor=cast.leader, text="电网批示")
    actions.instruct(other, actor=cast.leader, text="供水批示")
    actions.acknowledge_instruction(other, actor=cast.water_officer, note="供水已跟进")
    url = reverse("problems:instructions")
    client.force_login(cast.leader)
    page = client.get(url).content.decode()
    assert "电网批示" in page and "供水批示" in page and "供水已跟进" in page
    assert when_text(ChallengeInstruction.objects.get(challenge=other).acknowledged_at) in page
    assert not re.search(r"\d{4}-\d{2}-\d{2}", page)  # dates as people read them, never ISO
    pending = client.get(url, {"pending": 1}).content.decode()
    assert "电网批示" in pending and "供水批示" not in pending
    client.force_login(cast.power_officer)  # a unit sees those on its own challenges
    page = client.get(url).content.decode()
    assert "电网批示" in page and "供水批示" not in page
    client.force_login(cast.secretariat)
    page = client.get(url).content.decode()
    assert "电网批示" in page and "供水批示" in page
    client.force_login(cast.acme_contact)
    assert client.get(url).status_code in (403, 404)


def test_applicants_and_enterprises_do_not_read_instructions(challenge, cast, client, teams):
    actions.instruct(challenge, actor=cast.leader, text="内部批示内容")
    for person in (cast.acme_contact, teams):
        client.force_login(person)
        page = client.get(challenge.get_absolute_url()).content.decode()
        assert page.count('data-action="instruct"') == 1  # the step is on the timeline
        assert "内部批示内容" not in page and 'id="instructions"' not in page
