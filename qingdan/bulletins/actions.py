"""Every change to a bulletin: generate (or refresh) a draft, edit it, publish, correct."""

from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Role, User
from qingdan.bulletins import content as bulletin_content
from qingdan.bulletins import render
from qingdan.bulletins.models import Bulletin, BulletinEvent, content_hash
from qingdan.lib import clock
from qingdan.lib.errors import ActionError


class BulletinError(ActionError):
    pass


def _require_secretariat(actor: User | None) -> None:
    if actor is not None and actor.role not in (Role.SECRETARIAT, Role.ADMIN):
        raise BulletinError(_("Only the secretariat prepares and publishes bulletins."))


def _log(bulletin: Bulletin, actor: User | None, action: str, note: str = "", **payload) -> None:
    BulletinEvent.objects.create(
        bulletin=bulletin, actor=actor, created=clock.now(), action=action, note=note,
        payload=payload,
    )  # fmt: skip


def meta_of(bulletin: Bulletin) -> render.Meta:
    return render.Meta(
        title=str(bulletin_content.title(bulletin.content)),
        issuer=settings.QINGDAN["BULLETIN_ISSUER"],
        issue_number=bulletin.issue_number,
        version=bulletin.version,
        date=(bulletin.published_at or bulletin.generated_at).astimezone(clock.BEIJING).date(),
        next_steps=bulletin.next_steps,
        correction_note=bulletin.correction_note,
        corrects_version=bulletin.corrects.version if bulletin.corrects_id else None,
        draft=not bulletin.is_published,
    )


def generate_draft(week_start: date, *, actor: User | None = None) -> Bulletin:
    """Create the week's draft, or refresh the figures of the existing one. Does nothing to a
    week already published (a change to it is a correction)."""
    _require_secretariat(actor)
    if week_start.weekday() != 0:
        raise BulletinError(_("A bulletin covers a week: give its Monday."))
    with transaction.atomic():
        latest = (
            Bulletin.objects.select_for_update().filter(week_start=week_start)
            .order_by("-version").first()
        )  # fmt: skip
        if latest is not None and latest.is_published:
            raise BulletinError(
                _("The bulletin for this week is published; publish a correction instead.")
            )
        now = clock.now()
        snapshot = build_content(week_start, now)
        if latest is None:
            latest = Bulletin.objects.create(
                week_start=week_start, content=snapshot, generated_at=now
            )
            _log(latest, actor, "generate")
        else:
            latest.content = snapshot
            latest.generated_at = now
            latest.save(update_fields=["content", "generated_at"])
            _log(latest, actor, "regenerate")
    return latest


def build_content(week_start: date, now) -> dict:
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return bulletin_content.build(week_start, now)


def edit_draft(bulletin: Bulletin, *, actor: User, next_steps: str) -> Bulletin:
    _require_secretariat(actor)
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if bulletin.is_published:
            raise BulletinError(_("A published bulletin cannot be edited."))
        bulletin.next_steps = next_steps.strip()
        bulletin.save(update_fields=["next_steps"])
        _log(bulletin, actor, "edit")
    return bulletin


def publish(bulletin: Bulletin, *, actor: User) -> Bulletin:
    """Freeze the draft: number it, render every format once, store them with the hash."""
    _require_secretariat(actor)
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if bulletin.is_published:
            raise BulletinError(_("This bulletin is already published."))
        if bulletin.corrects_id:
            bulletin.issue_number = bulletin.corrects.issue_number
        else:
            last = Bulletin.objects.filter(state=Bulletin.State.PUBLISHED).aggregate(
                n=Max("issue_number")
            )["n"]
            bulletin.issue_number = (last or 0) + 1
        bulletin.state = Bulletin.State.PUBLISHED
        bulletin.published_at = clock.now()
        bulletin.published_by = actor
        bulletin.content_hash = content_hash(bulletin.content)
        meta = meta_of(bulletin)
        stem = f"bulletin-{bulletin.week_start.isoformat()}-v{bulletin.version}"
        files = {
            "html": render.render_html(
                bulletin.content, meta, public=True, standalone=True
            ).encode(),
            "pdf": render.render_pdf(bulletin.content, meta),
            "docx": render.render_docx(bulletin.content, meta),
            "xlsx": render.render_xlsx(bulletin.content, meta),
        }
        for kind, data in files.items():
            getattr(bulletin, kind).save(f"{stem}.{kind}", ContentFile(data), save=False)
        bulletin.save()
        _log(bulletin, actor, "publish", issue_number=bulletin.issue_number,
             content_hash=bulletin.content_hash)  # fmt: skip
    return bulletin


def correct(bulletin: Bulletin, *, actor: User, note: str) -> Bulletin:
    """Start a correction: a new draft version of the week that says what it corrects."""
    _require_secretariat(actor)
    note = (note or "").strip()
    if not note:
        raise BulletinError(_("Say what the correction corrects."))
    with transaction.atomic():
        if not bulletin.is_published:
            raise BulletinError(_("Only a published bulletin can be corrected."))
        if Bulletin.objects.filter(week_start=bulletin.week_start, state="draft").exists():
            raise BulletinError(_("A correction of this week is already being prepared."))
        version = (
            Bulletin.objects.filter(week_start=bulletin.week_start).aggregate(v=Max("version"))["v"]
            + 1
        )
        now = clock.now()
        draft = Bulletin.objects.create(
            week_start=bulletin.week_start,
            version=version,
            content=build_content(bulletin.week_start, now),
            generated_at=now,
            next_steps=bulletin.next_steps,
            corrects=bulletin,
            correction_note=note,
        )
        _log(draft, actor, "correct", note, corrects_version=bulletin.version)
    return draft


def render_file(bulletin: Bulletin, kind: str) -> bytes:
    """A format of a bulletin: the stored bytes once published, rendered now for a draft."""
    if bulletin.is_published:
        with getattr(bulletin, kind).open("rb") as stored:
            return stored.read()
    return render_content(bulletin, kind)


def render_content(bulletin: Bulletin, kind: str) -> bytes:
    """Render a bulletin's content now (a draft, or an unsaved one from the command)."""
    meta = meta_of(bulletin)
    if kind == "html":
        return render.render_html(bulletin.content, meta, public=False, standalone=True).encode()
    return {"pdf": render.render_pdf, "docx": render.render_docx, "xlsx": render.render_xlsx}[kind](
        bulletin.content, meta
    )
