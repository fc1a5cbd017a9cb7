"""Publishing safeguards, and the whole bulletin workflow through the API."""

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from qingdan.api.models import issue_token
from qingdan.bulletins import actions
from qingdan.bulletins.content import period
from qingdan.bulletins.models import Bulletin, BulletinEvent

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")
WEEK1, WEEK2 = date(2026, 11, 9), date(2026, 11, 16)


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user, name='t')[1]}"}


def post(client, url, data, auth):
    return client.post(url, json.dumps(data), content_type="application/json", **auth)


@pytest.fixture
def two_weeks(make_problem):
    for week in (WEEK1, WEEK2):
        with time_machine.travel(
            datetime.combine(week, datetime.min.time(), BEIJING) + timedelta(hours=10), tick=False
        ):
            make_problem("in_progress")


def at(day: date, hour=9):
    return time_machine.travel(
        datetime.combine(day, datetime.min.time(), BEIJING) + timedelta(hours=hour), tick=False
    )


def test_a_week_that_has_not_ended_can_be_previewed_not_published(two_weeks, cast, client):
    auth = bearer(cast.secretariat)
    with at(date(2026, 11, 20)):  # Friday of WEEK2
        draft = actions.generate_draft(WEEK2, actor=cast.secretariat)
        preview = client.get(f"/api/v1/bulletins/{WEEK2}/v1/preview", **auth)
        assert preview.status_code == 200
        summary = preview.json()["summary"]
        assert summary["week_ended"] is False and summary["raised"] == 1
        refused = post(client, f"/api/v1/bulletins/{WEEK2}/v1/publish", {"confirm": True}, auth)
        assert refused.status_code == 400 and "尚未结束" in refused.json()["error"]["message"]
    # The week is over, but the figures are from Friday.
    with at(date(2026, 11, 23)), pytest.raises(actions.BulletinError):
        actions.publish(draft, actor=cast.secretariat, confirm=True)
    draft.refresh_from_db()
    assert draft.state == "draft" and not BulletinEvent.objects.filter(action="publish").exists()


def test_publishing_needs_confirmation(two_weeks, cast, client):
    auth = bearer(cast.secretariat)
    with at(date(2026, 11, 23)):
        actions.generate_draft(WEEK2, actor=cast.secretariat)
        for body in ({}, {"confirm": False}):
            response = post(client, f"/api/v1/bulletins/{WEEK2}/v1/publish", body, auth)
            assert response.status_code == 400
        assert not Bulletin.objects.filter(state="published").exists()
        ok = post(client, f"/api/v1/bulletins/{WEEK2}/v1/publish", {"confirm": True}, auth)
    assert ok.status_code == 200 and ok.json()["document_number"] == "经开营商通〔2026〕1号"
    assert BulletinEvent.objects.get(action="publish").payload["document_number"]


def test_issue_numbers_follow_the_week_order_and_the_pattern(two_weeks, cast, settings):
    settings.QINGDAN = settings.QINGDAN | {"BULLETIN_DOCUMENT_NUMBER": "营商〔{year}〕第{number}期"}
    with at(date(2026, 11, 23)):
        first = actions.generate_draft(WEEK1, actor=cast.secretariat)
        second = actions.generate_draft(WEEK2, actor=cast.secretariat)
        assert actions.publish_summary(second)["issue_number"] == 1
        actions.publish(second, actor=cast.secretariat, confirm=True)
        with pytest.raises(actions.BulletinError):  # the earlier week would get a later number
            actions.publish(first, actor=cast.secretariat, confirm=True)
    second.refresh_from_db()
    assert (second.issue_number, second.document_number) == (1, "营商〔2026〕第1期")
    assert Bulletin.objects.get(pk=first.pk).state == "draft"


def test_weeks_published_in_order_are_numbered_in_order(two_weeks, cast):
    with at(date(2026, 11, 23)):
        first = actions.publish(
            actions.generate_draft(WEEK1, actor=cast.secretariat),
            actor=cast.secretariat,
            confirm=True,
        )
        second = actions.publish(
            actions.generate_draft(WEEK2, actor=cast.secretariat),
            actor=cast.secretariat,
            confirm=True,
        )
    assert (first.issue_number, second.issue_number) == (1, 2)
    assert second.document_number == "经开营商通〔2026〕2号"


def test_chinese_dates():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert period("2026-11-23", "2026-11-29") == "2026年11月23日至29日"
        assert period("2026-09-28", "2026-10-04") == "2026年9月28日至10月4日"
        assert period("2026-12-28", "2027-01-03") == "2026年12月28日至2027年1月3日"


def test_the_api_runs_the_whole_bulletin_workflow(two_weeks, cast, client):
    auth = bearer(cast.secretariat)
    with at(date(2026, 11, 23)):
        made = post(client, "/api/v1/bulletins", {"week": str(WEEK2)}, auth)
        assert made.status_code == 201 and made.json()["state"] == "draft"
        edited = post(
            client, f"/api/v1/bulletins/{WEEK2}/v1/next-steps", {"next_steps": "加快办理"}, auth
        )
        assert edited.json()["next_steps"] == "加快办理"
        drafts = client.get("/api/v1/bulletins/drafts", **auth).json()
        assert [d["week_start"] for d in drafts] == [str(WEEK2)]
        post(client, f"/api/v1/bulletins/{WEEK2}/v1/publish", {"confirm": True}, auth)
        corrected = post(
            client, f"/api/v1/bulletins/{WEEK2}/v1/correct", {"note": "更正办结数"}, auth
        )
    assert corrected.status_code == 201
    assert (corrected.json()["version"], corrected.json()["corrects_version"]) == (2, 1)
    actions_logged = list(BulletinEvent.objects.values_list("action", flat=True))
    assert actions_logged == ["generate", "edit", "publish", "correct"]


def test_only_the_secretariat_drives_bulletins_through_the_api(two_weeks, cast, client):
    with at(date(2026, 11, 23)):
        actions.generate_draft(WEEK2, actor=cast.secretariat)
        for outsider in (cast.power_officer, cast.leader, cast.acme_contact):
            auth = bearer(outsider)
            assert post(client, "/api/v1/bulletins", {"week": str(WEEK2)}, auth).status_code == 403
            url = f"/api/v1/bulletins/{WEEK2}/v1/publish"
            assert post(client, url, {"confirm": True}, auth).status_code == 403
            assert client.get(f"/api/v1/bulletins/{WEEK2}/v1/preview", **auth).status_code == 403
            assert client.get("/api/v1/bulletins/drafts", **auth).status_code == 403
        # A draft is not public: anonymous readers get 404.
        assert client.get(f"/api/v1/bulletins/{WEEK2}/v1").status_code == 404
        assert client.get(f"/api/v1/bulletins/{WEEK2}/v1/file.pdf").status_code == 404
    assert not BulletinEvent.objects.exclude(action="generate").exists()
