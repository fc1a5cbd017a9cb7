"""Every change to a bulletin: generate (or refresh) a draft, edit it, publish, correct."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Role, User
from qingdan.bulletins import content as bulletin_content
from qingdan.bulletins import render
from qingdan.bulletins.models import Bulletin, BulletinEvent, content_hash
from qingdan.bulletins.workflow import BULLETINS
from qingdan.lib import clock
from qingdan.lib.errors import ActionError, NotAllowed


class BulletinError(ActionError):
    pass


ALREADY_PUBLISHED = _("This bulletin is already published.")


def require_secretariat(actor: User | None) -> None:
    if actor is not None and getattr(actor, "role", None) not in (Role.SECRETARIAT, Role.ADMIN):
        raise NotAllowed(_("Only the secretariat prepares and publishes bulletins."))


_require_secretariat = require_secretariat


def _log(bulletin: Bulletin, actor: User | None, action: str, note: str = "", **payload) -> None:
    BulletinEvent.objects.create(
        bulletin=bulletin,
        actor=actor,
        created=clock.now(),
        action=action,
        note=note,
        payload=payload,
    )


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
        document_number=bulletin.document_number,
    )


# (kind, public) → the stored file of a published bulletin.
FILE_FIELDS = {
    ("html", True): "html",
    ("html", False): "internal_html",
    ("pdf", False): "pdf",
    ("pdf", True): "public_pdf",
    ("docx", False): "docx",
    ("docx", True): "public_docx",
    ("xlsx", False): "xlsx",
    ("xlsx", True): "public_xlsx",
}
KINDS = ("html", "pdf", "docx", "xlsx")


def week_ends_at(week_start: date) -> datetime:
    """The moment a week is over: the next Monday 00:00 in Beijing."""
    return datetime.combine(
        week_start + timedelta(days=7), datetime.min.time(), tzinfo=clock.BEIJING
    )


def issue_year(week_start: date) -> int:
    """The year an issue is numbered in: the year of the week's Monday."""
    return week_start.year


def document_number(year: int, number: int) -> str:
    pattern = settings.QINGDAN.get("BULLETIN_DOCUMENT_NUMBER", "经开营商通〔{year}〕{number}号")
    return pattern.format(year=year, number=number)


def next_issue(bulletin: Bulletin) -> tuple[int, int]:
    """(year, issue number) the draft would get: a correction keeps the issue it corrects;
    otherwise the next number of the week's year, refused when a later week of that year is
    already published (numbers follow the week order)."""
    if bulletin.corrects_id:
        corrected = bulletin.corrects
        return corrected.issue_year or issue_year(corrected.week_start), corrected.issue_number
    year = issue_year(bulletin.week_start)
    published = Bulletin.objects.filter(state=Bulletin.State.PUBLISHED, issue_year=year)
    later = published.filter(week_start__gt=bulletin.week_start).order_by("week_start").first()
    if later is not None:
        raise BulletinError(
            _(
                "The week of %(later)s is already published as issue %(n)s: issues follow the "
                "week order, so an earlier week can no longer be published in %(year)s."
            )
            % {"later": later.week_start.isoformat(), "n": later.issue_number, "year": year}
        )
    last = published.aggregate(n=Max("issue_number"))["n"]
    return year, (last or 0) + 1


def publish_summary(bulletin: Bulletin) -> dict:
    """What publishing will freeze (the confirmation page and the API's preview)."""
    content = bulletin.content
    year, number = next_issue(bulletin)
    ended = clock.now() >= week_ends_at(bulletin.week_start)
    items = content.get("items", [])
    return {
        "week_start": bulletin.week_start.isoformat(),
        "week_end": content.get("week_end", ""),
        "period": bulletin_content.period(
            bulletin.week_start, bulletin.week_start + timedelta(days=6)
        ),
        "as_of": content.get("as_of", ""),
        "version": bulletin.version,
        "corrects_version": bulletin.corrects.version if bulletin.corrects_id else None,
        "correction_note": bulletin.correction_note,
        "issue_number": number,
        "document_number": document_number(year, number),
        "raised": content.get("overall", {}).get("raised", 0),
        "units": len(content.get("units", [])),
        "ranked": sum(1 for row in content.get("units", []) if row.get("rank")),
        "red": content.get("red", {}).get("total", 0),
        "yellow": content.get("yellow", {}).get("total", 0),
        "items": len(items),
        "anonymised": sum(1 for i in items if i.get("enterprise_public") != i.get("enterprise")),
        "appeals": len(content.get("appeals", [])),
        "week_ended": ended,
        "formats": [f"{kind}:{edition}" for edition in ("public", "internal") for kind in KINDS],
    }


def generate_draft(week_start: date, *, actor: User | None = None) -> Bulletin:
    """Create the week's draft, or refresh the figures of the existing one. Does nothing to a
    week already published (a change to it is a correction)."""
    _require_secretariat(actor)
    if week_start.weekday() != 0:
        raise BulletinError(_("A bulletin covers a week: give its Monday."))
    with transaction.atomic():
        latest = (
            Bulletin.objects.select_for_update()
            .filter(week_start=week_start)
            .order_by("-version")
            .first()
        )
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
            with BULLETINS.transition(latest, "regenerate", actor) as change:
                change.set(content=snapshot, generated_at=now)
    return latest


def build_content(week_start: date, now) -> dict:
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return bulletin_content.build(week_start, now)


def edit_draft(bulletin: Bulletin, *, actor: User, next_steps: str) -> Bulletin:
    _require_secretariat(actor)
    if bulletin.is_published:
        raise BulletinError(_("A published bulletin cannot be edited."))
    with BULLETINS.transition(bulletin, "edit", actor) as change:
        change.set(next_steps=next_steps.strip())
    return bulletin


def publish(bulletin: Bulletin, *, actor: User, confirm: bool = False) -> Bulletin:
    """Freeze the draft: number it, render every format of both editions once, store them with
    the hash. Asks for ``confirm`` (after the summary of ``publish_summary``); a week that has
    not ended cannot be published (its draft can be previewed)."""
    _require_secretariat(actor)
    if not confirm:
        raise BulletinError(_("Confirm the publication: it freezes the bulletin for good."))
    if bulletin.is_published:
        raise BulletinError(ALREADY_PUBLISHED)
    with BULLETINS.transition(bulletin, "publish", actor) as change:
        bulletin = change.obj
        if clock.now() < week_ends_at(bulletin.week_start):
            raise BulletinError(
                _(
                    "The week has not ended: it can be published from %(when)s on; "
                    "until then the draft can be previewed."
                )
                % {"when": bulletin_content.chinese_date(bulletin.week_start + timedelta(days=7))}
            )
        if datetime.fromisoformat(bulletin.content["as_of"]) < week_ends_at(bulletin.week_start):
            raise BulletinError(
                _("The figures were computed before the week ended: recompute them first.")
            )
        year, number = next_issue(bulletin)
        document = document_number(year, number)
        bulletin.content_hash = content_hash(bulletin.content)
        bulletin.issue_number, bulletin.document_number = number, document
        bulletin.published_at = clock.now()
        bulletin.state = Bulletin.State.PUBLISHED  # the files are the published issue's
        meta = meta_of(bulletin)
        stem = f"bulletin-{bulletin.week_start.isoformat()}-v{bulletin.version}"
        files = {}
        for (kind, public), name in FILE_FIELDS.items():
            data = render_edition(bulletin.content, meta, kind, public=public)
            label = "public" if public else "internal"
            getattr(bulletin, name).save(f"{stem}-{label}.{kind}", ContentFile(data), save=False)
            files[name] = getattr(bulletin, name).name
        change.set(
            issue_year=year,
            issue_number=number,
            document_number=document,
            published_at=bulletin.published_at,
            published_by=actor,
            content_hash=bulletin.content_hash,
            **files,
        )
        change.payload = {
            "issue_number": number,
            "document_number": document,
            "content_hash": bulletin.content_hash,
        }
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


def render_file(bulletin: Bulletin, kind: str, *, public: bool = False) -> bytes:
    """A format of one edition of a bulletin: the stored bytes once published, rendered now
    for a draft (or a bulletin published before both editions were stored)."""
    if bulletin.is_published:
        stored = getattr(bulletin, FILE_FIELDS[(kind, public)])
        if stored:
            with stored.open("rb") as handle:
                return handle.read()
    return render_content(bulletin, kind, public=public)


def render_content(bulletin: Bulletin, kind: str, *, public: bool = False) -> bytes:
    """Render a bulletin's content now (a draft, or an unsaved one from the command)."""
    return render_edition(bulletin.content, meta_of(bulletin), kind, public=public)


def render_edition(content: dict, meta, kind: str, *, public: bool) -> bytes:
    if kind == "html":
        return render.render_html(content, meta, public=public, standalone=True).encode()
    renderer = {"pdf": render.render_pdf, "docx": render.render_docx, "xlsx": render.render_xlsx}
    return renderer[kind](content, meta, public=public)
