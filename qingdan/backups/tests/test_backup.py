"""Backup → more work → restore: the database and the files are back exactly as backed up, and
nothing from after the backup remains. Runs on SQLite and on PostgreSQL (make test runs both)."""

import io
import json
import tarfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from qingdan.accounts.models import SecurityEvent, SecurityEventKind
from qingdan.api.models import ApiToken, issue_token, user_for_token
from qingdan.backups import archive
from qingdan.bulletins import actions as bulletin_actions
from qingdan.bulletins.content import monday_of
from qingdan.bulletins.models import Bulletin
from qingdan.lib import clock
from qingdan.problems import actions
from qingdan.problems.models import Attachment, Channel, Problem, ProblemEvent
from qingdan.problems.tests.test_uploads import png

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def raise_with_photo(cast, category, title: str, photo: bytes) -> Problem:
    return actions.raise_problem(
        actor=cast.acme_contact,
        enterprise=cast.acme,
        title=title,
        description="现场照片见附件",
        category=category,
        channel=Channel.ONLINE,
        files=[SimpleUploadedFile("现场.png", photo)],
    )


def state(media: Path) -> dict:
    """Everything the test compares, read back from the database and the disk."""
    return {
        "problems": list(Problem.objects.order_by("id").values_list("number", "title", "status")),
        "events": list(ProblemEvent.objects.order_by("id").values_list("id", "action", "note")),
        "attachments": sorted(
            (a.file.name, (media / a.file.name).read_bytes()) for a in Attachment.objects.all()
        ),
        "bulletins": sorted(
            (
                b.pk,
                b.content_hash,
                (media / b.pdf.name).read_bytes(),
                (media / b.html.name).read_bytes(),
            )
            for b in Bulletin.objects.filter(state=Bulletin.State.PUBLISHED)
        ),
        "files": sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()),
    }


def test_backup_then_restore_brings_back_exactly_the_backed_up_state(
    cast, category, media, tmp_path
):
    first = raise_with_photo(cast, category, "厂区停电", png())
    actions.accept(first, actor=cast.secretariat)
    week = monday_of(clock.today()) - timedelta(days=7)  # a week that has ended
    bulletin_actions.publish(
        bulletin_actions.generate_draft(week, actor=cast.secretariat),
        actor=cast.secretariat,
        confirm=True,
    )
    kept_token, kept_secret = issue_token(cast.power_officer, name="保留")
    before = state(media)
    assert before["attachments"] and before["bulletins"]

    path = archive.create(tmp_path / "backup.tar.gz").path

    # Work after the backup: a problem with its own photo, a token, a revocation, a session.
    later = raise_with_photo(cast, category, "备份之后", png() + b"\0later")
    assert later.number.endswith("000002")
    _token, late_secret = issue_token(cast.acme_contact, name="备份之后")
    assert user_for_token(late_secret) == cast.acme_contact
    ApiToken.objects.filter(pk=kept_token.pk).update(revoked=clock.now())
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session["_auth_user_id"] = str(cast.secretariat.pk)
    session.create()

    call_command("restore", str(path), "--yes")

    assert state(media) == before  # rows and files, byte for byte; no stray file on disk
    assert not Problem.objects.filter(title="备份之后").exists()
    assert not (media / "problems" / later.number).exists()
    assert user_for_token(late_secret) is None  # issued after the backup: gone
    assert user_for_token(kept_secret) is None  # revoked after the backup: stays revoked
    from django.contrib.sessions.models import Session

    assert not Session.objects.exists()  # everyone signs in again
    restored = SecurityEvent.objects.get(kind=SecurityEventKind.RESTORED)
    assert restored.subject == "backup.tar.gz"
    # The number is issued again, and its folder holds only the new problem's file.
    again = raise_with_photo(cast, category, "恢复之后", png())
    assert again.number == later.number
    folder = media / "problems" / again.number
    assert [p.read_bytes() for p in folder.iterdir()] == [png()]


def test_a_damaged_archive_is_refused_before_anything_changes(cast, category, media, tmp_path):
    raise_with_photo(cast, category, "厂区停电", png())
    path = archive.create(tmp_path / "backup.tar.gz").path
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(path) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("media/"):
                data = data + b"<script>"
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    raise_with_photo(cast, category, "之后", png())
    before = state(media)
    with pytest.raises(CommandError, match="Checksum mismatch"):
        call_command("restore", str(tampered), "--yes")
    assert state(media) == before


def test_an_archive_with_a_path_outside_media_is_refused(media, tmp_path, cast):
    path = archive.create(tmp_path / "backup.tar.gz").path
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(path) as source, tarfile.open(evil, "w:gz") as target:
        manifest = json.load(source.extractfile("manifest.json"))
        for member in source.getmembers():
            if member.name != "manifest.json":
                target.addfile(member, source.extractfile(member))
        manifest["files"]["media/../../escape.txt"] = {"sha256": "0" * 64, "size": 1}
        extra = tarfile.TarInfo("media/../../escape.txt")
        extra.size = 1
        target.addfile(extra, io.BytesIO(b"x"))
        data = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        target.addfile(info, io.BytesIO(data))
    with pytest.raises(CommandError, match="unsafe"):
        call_command("restore", str(evil), "--check")
    assert not (tmp_path / "escape.txt").exists()


def test_check_only_verifies(media, tmp_path, cast, capsys):
    path = archive.create(tmp_path / "backup.tar.gz").path
    call_command("restore", str(path), "--check")
    assert "checksums correct" in capsys.readouterr().err
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.RESTORED).exists()
