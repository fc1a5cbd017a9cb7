"""Bulletins through the API (mounted at /api/v1/ by ``qingdan/api/v1.py``).

Anyone: the published bulletins, public edition (an enterprise that asked not to be named is
never named), and their files. The secretariat: the same steps as the pages — generate (or
recompute) a draft, edit its next steps, preview it (the summary of what publishing freezes),
publish it with confirmation, start a correction — each through the same action. Appeals
(申诉复核) are in the problems router (``problems/appeals_api.py``).
"""

from datetime import date, datetime

from django.http import Http404, HttpResponse
from ninja import Query, Router, Schema
from ninja.responses import Status as HttpStatus

from qingdan.bulletins import actions
from qingdan.bulletins.access import access_bulletin, public_bulletin
from qingdan.bulletins.content import redacted
from qingdan.bulletins.forms import CorrectForm, GenerateForm, NextStepsForm, PublishForm
from qingdan.bulletins.models import Bulletin
from qingdan.core.apitools import ERRORS, payload_dict, run_form, schema_for
from qingdan.core.ratelimit import limit_writes
from qingdan.lib.errors import NotAllowed

router = Router(tags=["bulletins"])

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


class BulletinOut(Schema):
    week_start: date
    version: int
    state: str
    edition: str
    issue_number: int | None
    document_number: str
    published_at: datetime | None
    content_hash: str
    public_url: str
    content: dict


class DraftOut(Schema):
    week_start: date
    version: int
    state: str
    edition: str
    issue_number: int | None
    document_number: str
    next_steps: str
    corrects_version: int | None
    correction_note: str
    content: dict


class SummaryOut(Schema):
    summary: dict
    bulletin: DraftOut


def _public_out(request, b: Bulletin) -> dict:
    return {
        "week_start": b.week_start,
        "version": b.version,
        "state": b.state,
        "edition": "public",
        "issue_number": b.issue_number,
        "document_number": b.document_number,
        "published_at": b.published_at,
        "content_hash": b.content_hash,
        "public_url": request.build_absolute_uri(b.get_public_url()),
        "content": redacted(b.content),
    }


def _draft_out(b: Bulletin) -> dict:
    return {
        "week_start": b.week_start,
        "version": b.version,
        "state": b.state,
        "edition": "internal",
        "issue_number": b.issue_number,
        "document_number": b.document_number,
        "next_steps": b.next_steps,
        "corrects_version": b.corrects.version if b.corrects_id else None,
        "correction_note": b.correction_note,
        "content": b.content,
    }


def _secretariat(request) -> None:
    actions.require_secretariat(request.user)


@router.get("/bulletins", response={200: list[BulletinOut], **ERRORS}, auth=None)
def bulletins(request, limit: int = Query(20, ge=1, le=104)):
    """Published bulletins, public edition (enterprise names as the public sees them)."""
    published = Bulletin.objects.filter(state=Bulletin.State.PUBLISHED).order_by(
        "-week_start", "-version"
    )[:limit]
    return [_public_out(request, b) for b in published]


@router.get("/bulletins/{week}/v{version}", response={200: BulletinOut, **ERRORS}, auth=None)
def get_bulletin(request, week: date, version: int):
    """One published bulletin, public edition."""
    return _public_out(request, public_bulletin(week, version))


@router.get("/bulletins/{week}/v{version}/file.{kind}", auth=None, response={200: None, **ERRORS})
def bulletin_file(request, week: date, version: int, kind: str):
    """A published bulletin's file (pdf, docx, xlsx, html), public edition: the bytes stored
    at publication."""
    if kind not in CONTENT_TYPES:
        raise Http404
    bulletin = public_bulletin(week, version)
    data = actions.render_file(bulletin, kind, public=True)
    response = HttpResponse(data, content_type=CONTENT_TYPES[kind])
    name = f"bulletin-{bulletin.week_start.isoformat()}-v{bulletin.version}-public.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get("/bulletins/drafts", response={200: list[DraftOut], **ERRORS})
def bulletin_drafts(request):
    """The secretariat's drafts (internal edition: full names), newest week first."""
    _secretariat(request)
    drafts = Bulletin.objects.filter(state=Bulletin.State.DRAFT).order_by("-week_start")[:104]
    return [_draft_out(b) for b in drafts]


GenerateIn = schema_for(GenerateForm, "BulletinGenerateIn")
NextStepsIn = schema_for(NextStepsForm, "BulletinNextStepsIn")
PublishIn = schema_for(PublishForm, "BulletinPublishIn")
CorrectIn = schema_for(CorrectForm, "BulletinCorrectIn")


@router.post("/bulletins", response={201: DraftOut, **ERRORS})
def generate_bulletin(request, payload: GenerateIn):  # type: ignore[valid-type]
    """Create the week's draft, or recompute the figures of its draft (secretariat)."""
    limit_writes(request)
    form = run_form(GenerateForm, payload_dict(payload))
    bulletin = actions.generate_draft(form.cleaned_data["week"], actor=request.user)
    return HttpStatus(201, _draft_out(bulletin))


def _draft(request, week: date, version: int) -> Bulletin:
    _secretariat(request)
    return access_bulletin(request.user, week, version)


@router.post("/bulletins/{week}/v{version}/next-steps", response={200: DraftOut, **ERRORS})
def edit_bulletin(request, week: date, version: int, payload: NextStepsIn):  # type: ignore[valid-type]
    """Edit a draft's next-step requirements (secretariat)."""
    limit_writes(request)
    bulletin = _draft(request, week, version)
    form = run_form(NextStepsForm, payload_dict(payload))
    bulletin = actions.edit_draft(
        bulletin, actor=request.user, next_steps=form.cleaned_data["next_steps"]
    )
    return _draft_out(bulletin)


@router.get("/bulletins/{week}/v{version}/preview", response={200: SummaryOut, **ERRORS})
def preview_bulletin(request, week: date, version: int):
    """A draft as it would be published: what will be frozen, the issue and document number it
    would get, whether its week has ended (secretariat)."""
    bulletin = _draft(request, week, version)
    if bulletin.is_published:
        raise NotAllowed(actions.ALREADY_PUBLISHED)
    return {"summary": actions.publish_summary(bulletin), "bulletin": _draft_out(bulletin)}


@router.post("/bulletins/{week}/v{version}/publish", response={200: DraftOut, **ERRORS})
def publish_bulletin(request, week: date, version: int, payload: PublishIn):  # type: ignore[valid-type]
    """Publish a draft: ``confirm`` must be true (after the preview). Refused for a week that
    has not ended (secretariat)."""
    limit_writes(request)
    bulletin = _draft(request, week, version)
    form = PublishForm(data=payload_dict(payload))
    confirmed = form.is_valid() and form.cleaned_data["confirm"]
    bulletin = actions.publish(bulletin, actor=request.user, confirm=confirmed)
    return _draft_out(bulletin)


@router.post("/bulletins/{week}/v{version}/correct", response={201: DraftOut, **ERRORS})
def correct_bulletin(request, week: date, version: int, payload: CorrectIn):  # type: ignore[valid-type]
    """Start a correction of a published bulletin: a new draft version saying what it
    corrects (secretariat)."""
    limit_writes(request)
    bulletin = _draft(request, week, version)
    form = run_form(CorrectForm, payload_dict(payload))
    draft = actions.correct(bulletin, actor=request.user, note=form.cleaned_data["note"])
    return HttpStatus(201, _draft_out(draft))
