from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from qingdan.bulletins import actions
from qingdan.bulletins.models import Bulletin, BulletinEvent
from qingdan.core.models import ScheduledRun
from qingdan.core.schedule import run_due
from qingdan.lib.errors import NotAllowed
from qingdan.problems import actions as problem_actions

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")
WEEK = date(2026, 11, 16)
MONDAY_AFTER = datetime(2026, 11, 23, 9, 0, tzinfo=BEIJING)


@pytest.fixture
def week(make_problem, cast):
    with time_machine.travel(datetime(2026, 11, 16, 19, 30, tzinfo=BEIJING), tick=False):
        first = make_problem("in_progress")
        hidden = make_problem("assigned", title="不公开名称的问题")
    hidden.may_name_publicly = False
    hidden.save(update_fields=["may_name_publicly"])
    return first, hidden


def files_of(bulletin) -> dict:
    return {kind: actions.render_file(bulletin, kind) for kind in ("html", "pdf", "docx", "xlsx")}


def test_published_bulletin_is_byte_for_byte_the_same_after_later_events(week, cast):
    first, hidden = week
    with time_machine.travel(MONDAY_AFTER, tick=False):
        draft = actions.generate_draft(WEEK, actor=cast.secretariat)
        actions.edit_draft(draft, actor=cast.secretariat, next_steps="按期办结。")
        published = actions.publish(draft, actor=cast.secretariat, confirm=True)
    before = files_of(published)
    assert before["pdf"].startswith(b"%PDF") and before["docx"][:2] == b"PK"
    assert published.issue_number == 1 and len(published.content_hash) == 64
    event = BulletinEvent.objects.get(bulletin=published, action="publish")
    assert event.actor == cast.secretariat
    assert event.payload["content_hash"] == published.content_hash
    # Later events change the problems, not what was published.
    problem_actions.complete(first, actor=cast.power_officer, report="已完成")
    problem_actions.sign_for(hidden, actor=cast.power_officer)
    again = Bulletin.objects.get(pk=published.pk)
    assert files_of(again) == before
    assert again.content == published.content
    with pytest.raises(TypeError):
        again.next_steps = "改"
        again.save()
    with pytest.raises(actions.BulletinError):
        actions.generate_draft(WEEK, actor=cast.secretariat)


def test_correction_is_a_new_version_that_names_what_it_corrects(week, cast, client):
    with time_machine.travel(MONDAY_AFTER, tick=False):
        first = actions.publish(
            actions.generate_draft(WEEK, actor=cast.secretariat),
            actor=cast.secretariat,
            confirm=True,
        )
    with pytest.raises(actions.BulletinError):
        actions.correct(first, actor=cast.secretariat, note="  ")
    correction = actions.correct(first, actor=cast.secretariat, note="更正供电公司办结数")
    assert (correction.version, correction.corrects, correction.state) == (2, first, "draft")
    assert (
        BulletinEvent.objects.get(bulletin=correction, action="correct").note
        == "更正供电公司办结数"
    )
    second = actions.publish(correction, actor=cast.secretariat, confirm=True)
    assert second.issue_number == first.issue_number
    assert "更正供电公司办结数" in actions.render_file(second, "html").decode()
    page = client.get(first.get_public_url()).content.decode()
    assert "第 2 版" in page or "version 2" in page


def test_public_page_redacts_and_needs_no_login_internal_shows_names(week, cast, client):
    first, hidden = week
    with time_machine.travel(MONDAY_AFTER, tick=False):
        bulletin = actions.publish(
            actions.generate_draft(WEEK, actor=cast.secretariat),
            actor=cast.secretariat,
            confirm=True,
        )
    public = client.get(bulletin.get_public_url())
    assert public.status_code == 200
    text = public.content.decode()
    assert "某电子企业" in text and first.title in text
    assert text.count(cast.acme.name) == 1  # named once (the problem that allows it)
    client.force_login(cast.power_officer)
    internal = client.get(bulletin.get_absolute_url()).content.decode()
    assert internal.count(cast.acme.name) >= 2
    pdf = client.get(reverse("bulletins:download", args=[WEEK, 1, "pdf"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_drafts_are_for_the_secretariat_only(week, cast, client):
    draft = actions.generate_draft(WEEK, actor=cast.secretariat)
    assert client.get(draft.get_public_url()).status_code == 404  # public: not published
    for outsider in (cast.acme_contact, cast.power_officer, cast.leader):
        client.force_login(outsider)
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert client.get(reverse("bulletins:download", args=[WEEK, 1, "pdf"])).status_code == 404
        response = client.post(reverse("bulletins:act", args=[WEEK, 1, "publish"]))
        assert response.status_code in (403, 404)
    client.force_login(cast.acme_contact)
    assert client.get(reverse("bulletins:list")).status_code == 403
    draft.refresh_from_db()
    assert draft.state == "draft" and not BulletinEvent.objects.filter(action="publish").exists()
    with pytest.raises(NotAllowed):
        actions.publish(draft, actor=cast.power_officer, confirm=True)


def test_secretariat_publishes_from_the_page(week, cast, client):
    client.force_login(cast.secretariat)
    response = client.post(reverse("bulletins:generate"), {"week": "2026-11-16"})
    bulletin = Bulletin.objects.get()
    assert response.url == bulletin.get_absolute_url()
    client.post(reverse("bulletins:act", args=[WEEK, 1, "edit"]), {"next_steps": "加快办理"})
    unconfirmed = client.post(reverse("bulletins:act", args=[WEEK, 1, "publish"]))
    assert unconfirmed.url == reverse("bulletins:confirm_publish", args=[WEEK, 1])
    bulletin.refresh_from_db()
    assert bulletin.state == "draft"
    summary = client.get(unconfirmed.url).content.decode()
    assert "经开营商通〔2026〕1号" in summary and 'name="confirm"' in summary
    client.post(reverse("bulletins:act", args=[WEEK, 1, "publish"]), {"confirm": "on"})
    bulletin.refresh_from_db()
    assert bulletin.state == "published" and bulletin.next_steps == "加快办理"
    assert bulletin.document_number == "经开营商通〔2026〕1号"
    assert [e.action for e in bulletin.events.all()] == ["generate", "edit", "publish"]


def test_generate_refuses_a_day_that_is_not_monday(cast, client):
    client.force_login(cast.secretariat)
    client.post(reverse("bulletins:generate"), {"week": "2026-11-18"})
    assert not Bulletin.objects.exists()


@pytest.mark.parametrize("kind", ["pdf", "docx", "xlsx", "html"])
def test_command_writes_each_format(week, cast, tmp_path, kind):
    out = tmp_path / f"b.{kind}"
    with time_machine.travel(MONDAY_AFTER, tick=False):
        call_command("bulletin", "--week", "2026-11-16", "--format", kind, "-o", str(out))
    data = out.read_bytes()
    magic = {"pdf": b"%PDF", "docx": b"PK", "xlsx": b"PK", "html": b"<!doctype html>"}[kind]
    assert data.startswith(magic)
    assert not Bulletin.objects.exists()  # the command does not publish anything


def test_monday_8am_draft_is_scheduled_once(week, cast, django_capture_on_commit_callbacks):
    monday_8 = datetime(2026, 11, 23, 8, 0, tzinfo=BEIJING)
    before, after = monday_8 - timedelta(minutes=1), monday_8 + timedelta(minutes=1)
    with (
        time_machine.travel(before, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        run_due()
        assert not Bulletin.objects.filter(week_start=WEEK).exists()  # last week's job only
    with time_machine.travel(after, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert "bulletin-draft" in run_due()
        assert run_due() == []  # a second scheduler, or a restart, starts nothing
    draft = Bulletin.objects.get(week_start=WEEK)
    assert draft.state == "draft" and draft.content["overall"]["raised"] == 2
    assert ScheduledRun.objects.filter(job="bulletin-draft").count() == 2
    assert BulletinEvent.objects.get(bulletin=draft).actor is None  # the system did it


def test_each_step_goes_through_the_engine_with_its_event_and_refusals_write_none(week, cast):
    from qingdan.bulletins.workflow import BULLETINS

    def steps(bulletin):
        return list(bulletin.events.values_list("action", flat=True))

    with time_machine.travel(MONDAY_AFTER, tick=False):
        draft = actions.generate_draft(WEEK, actor=cast.secretariat)
        actions.generate_draft(WEEK, actor=cast.secretariat)  # refreshed through the engine
        actions.edit_draft(draft, actor=cast.secretariat, next_steps="按期办结")
        assert BULLETINS.allowed(cast.secretariat, draft) == ["regenerate", "edit", "publish"]
        assert BULLETINS.allowed(cast.leader, draft) == []
        before = steps(draft)
        with pytest.raises(NotAllowed):
            actions.edit_draft(draft, actor=cast.power_officer, next_steps="改")
        assert steps(draft) == before == ["generate", "regenerate", "edit"]
        published = actions.publish(draft, actor=cast.secretariat, confirm=True)
        event = published.events.last()
        assert (event.action, event.actor) == ("publish", cast.secretariat)
        assert event.payload["document_number"] == published.document_number
        assert BULLETINS.allowed(cast.secretariat, published) == []
        with pytest.raises(actions.BulletinError):
            actions.publish(published, actor=cast.secretariat, confirm=True)
        assert steps(published) == ["generate", "regenerate", "edit", "publish"]


def test_the_monday_job_refreshes_an_existing_draft_as_the_system(week, cast):
    from qingdan.bulletins.tasks import generate_weekly_draft

    with time_machine.travel(MONDAY_AFTER, tick=False):
        draft = actions.generate_draft(WEEK, actor=cast.secretariat)
        result = generate_weekly_draft.call(MONDAY_AFTER.isoformat())
    assert result == f"draft {WEEK} v1"
    event = draft.events.last()
    assert (event.action, event.actor) == ("regenerate", None)
