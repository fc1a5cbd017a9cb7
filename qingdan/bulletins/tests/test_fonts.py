"""Documents are never rendered, let alone frozen, without a Chinese font."""

import shutil
import subprocess

import pytest
import time_machine
from django.core.management import CommandError, call_command

from qingdan.accounts.models import User
from qingdan.bulletins import actions
from qingdan.bulletins.models import Bulletin, BulletinEvent
from qingdan.bulletins.tests.test_publishing import MONDAY_AFTER, WEEK
from qingdan.lib import fonts

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_cjk_font(monkeypatch):
    """A machine without fonts-noto-cjk: fontconfig lists no font for Chinese."""
    monkeypatch.setattr(fonts, "_found", [])
    real_run = subprocess.run

    def run(args, *rest, **kwargs):
        if args and str(args[0]).endswith("fc-list"):
            return subprocess.CompletedProcess(args, 0, stdout="", stderr="")
        return real_run(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "run", run)


def test_publishing_without_a_chinese_font_is_refused_and_freezes_nothing(
    no_cjk_font, make_problem, cast
):
    with time_machine.travel(MONDAY_AFTER, tick=False):
        draft = actions.generate_draft(WEEK, actor=cast.secretariat)
        with pytest.raises(fonts.FontsMissing) as refused:
            actions.publish(draft, actor=cast.secretariat, confirm=True)
    assert "fonts-noto-cjk" in refused.value.message
    draft.refresh_from_db()
    assert draft.state == Bulletin.State.DRAFT and not draft.pdf and not draft.issue_number
    assert not BulletinEvent.objects.filter(action="publish").exists()


def test_publish_page_says_why_when_fonts_are_missing(no_cjk_font, make_problem, cast, client):
    with time_machine.travel(MONDAY_AFTER, tick=False):
        draft = actions.generate_draft(WEEK, actor=cast.secretariat)
        client.force_login(cast.secretariat)
        page = client.post(
            f"/bulletins/{WEEK.isoformat()}/v1/publish/",
            {"confirm": "on"},
            follow=True,
            HTTP_ACCEPT_LANGUAGE="zh",
        )
    assert "fonts-noto-cjk" in page.content.decode()
    draft.refresh_from_db()
    assert draft.state == Bulletin.State.DRAFT


def test_demo_park_refuses_to_load_without_a_chinese_font(no_cjk_font):
    with pytest.raises(CommandError, match="fonts-noto-cjk"):
        call_command("demo")
    assert not User.objects.exists()


def test_without_fontconfig_no_font_is_found(monkeypatch):
    monkeypatch.setattr(fonts, "_found", [])
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(fonts.FontsMissing):
        fonts.require_cjk()


def test_published_pdf_has_extractable_chinese_text(make_problem, cast, tmp_path):
    with time_machine.travel(MONDAY_AFTER, tick=False):
        draft = actions.generate_draft(WEEK, actor=cast.secretariat)
        published = actions.publish(draft, actor=cast.secretariat, confirm=True)
    pdf = tmp_path / "bulletin.pdf"
    pdf.write_bytes(actions.render_file(published, "pdf"))
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.replace("\n", "")  # a long title wraps
    assert "通报" in text and "经开区营商环境服务办公室" in text
    assert "2026年11月16日至22日" in text and "内部版" in text
