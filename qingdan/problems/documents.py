"""交办单 (assignment slip) and 督办通知书 (supervision notice), as PDF and Word.

Issued by the secretariat through the ``issue_document`` step (an event on the task's
timeline): numbered from the configurable pattern (``QINGDAN["ASSIGNMENT_NUMBER"]``,
``["SUPERVISION_NUMBER"]``) and a yearly sequence per kind, rendered once and stored. Asking
again for the same assignment (or the same supervision) gives the stored files back: a document
is never silently regenerated; a new assignment (a reassignment) or a new supervision gets a
new number.
"""

import base64
from datetime import date

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from qingdan.lib import clock, pdf
from qingdan.lib.errors import InvalidInput
from qingdan.problems import workflow
from qingdan.problems.models import IssuedDocument, Problem, ProblemEvent, Supervision

Kind = IssuedDocument.Kind
PATTERN = {Kind.ASSIGNMENT: "ASSIGNMENT_NUMBER", Kind.SUPERVISION: "SUPERVISION_NUMBER"}
TITLE = {Kind.ASSIGNMENT: "问题交办单", Kind.SUPERVISION: "督办通知书"}


def chinese_date(day: date | None) -> str:
    """The date as official documents write it: 2026年12月4日."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def document_number(kind: str, year: int, sequence: int) -> str:
    pattern = settings.QINGDAN[PATTERN[kind]]
    try:
        return pattern.format(year=year, seq=sequence)
    except (KeyError, IndexError, ValueError) as broken:
        raise ValueError(
            f"QINGDAN[{PATTERN[kind]!r}] = {pattern!r} is not a valid pattern: "
            f"use {{year}} and {{seq}}"
        ) from broken


def task_url(problem: Problem) -> str:
    return f"{settings.SITE_URL}{problem.get_absolute_url()}"


def qr_bytes(url: str) -> bytes:
    """The QR code (PNG) linking to the task page."""
    data_uri = segno.make(url, error="m").png_data_uri(scale=6, border=2)
    return base64.b64decode(data_uri.split(",", 1)[1])


def _source(problem: Problem, kind: str):
    """The assignment event (交办单) or the supervision and its event (督办通知书) documented."""
    if kind == Kind.ASSIGNMENT:
        event = (
            problem.events.filter(action__in=["assign", "reassign"]).order_by("-created", "-id")
        ).first()
        if event is None or not problem.lead_unit_id:
            raise InvalidInput(_("The problem is not assigned yet: there is nothing to issue."))
        return event, None
    supervision = problem.supervisions.order_by("-opened_at", "-id").first()
    if supervision is None:
        raise InvalidInput(_("The task has no supervision: there is nothing to issue."))
    event = ProblemEvent.objects.get(
        problem=problem, action="supervise", payload__supervision_id=supervision.pk
    )
    return event, supervision


def context(problem: Problem, kind: str, number: str, issued: date, supervision=None) -> dict:
    units = list(problem.task_units.select_related("unit"))
    return {
        "issuer": settings.QINGDAN["DOCUMENT_ISSUER"],
        "title": TITLE[kind],
        "kind": kind,
        "number": number,
        "problem": problem,
        "lead": [u for u in units if u.is_lead],
        "co_units": [u for u in units if not u.is_lead],
        "deadline": chinese_date(problem.deadline),
        "sign_deadline": chinese_date(problem.sign_deadline),
        "issued": chinese_date(issued),
        "url": task_url(problem),
        "supervision": supervision,
        "reply_due": chinese_date(supervision.reply_due) if supervision else "",
    }


def render_pdf(data: dict) -> bytes:
    qr = segno.make(data["url"], error="m").png_data_uri(scale=6, border=2)
    html = render_to_string("problems/document.html", data | {"qr": qr})
    return pdf.html_to_pdf(html)


def render_docx(data: dict, *, creator: str) -> bytes:
    from qingdan.lib.wordfile import OfficialDocument

    problem = data["problem"]
    doc = OfficialDocument(title=f"{data['title']} {data['number']}", creator=creator)
    doc.red_header(data["issuer"], data["number"])
    doc.title(data["title"])
    lead = data["lead"][0] if data["lead"] else None
    doc.paragraph(f"{lead.unit.name if lead else ''}：")
    if data["supervision"] is not None:
        doc.paragraph(
            f"你单位牵头办理的问题（编号 {problem.number}）已列入督办。请于 {data['reply_due']} 前"
            f"书面回复办理情况（督办回复）。",
            indent=True,
        )
        doc.heading("督办要求")
        doc.paragraph(data["supervision"].demand, indent=True)
    else:
        doc.paragraph(
            f"现将企业反映的问题（编号 {problem.number}）交你单位牵头办理，"
            f"请于 {data['sign_deadline']} 前签收，{data['deadline']} 前办结并报送办理结果。",
            indent=True,
        )
    doc.heading("企业反映的问题")
    doc.paragraph(f"{problem.enterprise.name}：{problem.title}", indent=True)
    doc.paragraph(problem.description, indent=True)
    doc.heading("责任分工")
    rows = [(u.unit.name, "牵头单位", u.division or "—") for u in data["lead"]]
    rows += [(u.unit.name, "配合单位", u.division or "—") for u in data["co_units"]]
    doc.table(["单位", "职责", "分工"], rows)
    doc.paragraph(f"办结时限：{data['deadline']}")
    doc.paragraph("扫码查看任务：")
    doc.picture(qr_bytes(data["url"]), width_cm=3.5)
    doc.paragraph(data["url"], size=10.5)
    doc.paragraph(data["issuer"], align=2)
    doc.paragraph(data["issued"], align=2)
    return doc.to_bytes()


def issue(problem: Problem, *, actor, kind: str) -> IssuedDocument:
    """Issue (number, render, store) the 交办单 of the task's current assignment or the
    督办通知书 of its latest supervision; once issued, the same document is returned."""
    if kind not in Kind.values:
        raise InvalidInput(_("Choose the kind of document."))
    workflow.check(actor, problem, "issue_document")
    event, supervision = _source(problem, kind)
    existing = IssuedDocument.objects.filter(kind=kind, event=event).first()
    if existing is not None:
        return existing
    today = clock.today()
    for _attempt in range(3):
        try:
            return _issue_once(problem, actor, kind, event, supervision, today)
        except IntegrityError:
            existing = IssuedDocument.objects.filter(kind=kind, event=event).first()
            if existing is not None:
                return existing  # issued meanwhile by someone else
    raise RuntimeError("could not number the document")


def _issue_once(problem, actor, kind, event, supervision, today) -> IssuedDocument:
    with transaction.atomic():
        last = (
            IssuedDocument.objects.filter(kind=kind, year=today.year)
            .order_by("-sequence")
            .values_list("sequence", flat=True)
            .first()
        )
        sequence = (last or 0) + 1
        number = document_number(kind, today.year, sequence)
        with workflow.PROBLEMS.transition(problem, "issue_document", actor) as change:
            locked = change.obj
            with translation.override("zh-hans"):
                data = context(locked, kind, number, today, supervision)
                pdf_bytes = render_pdf(data)
                docx_bytes = render_docx(data, creator=actor.get_full_name())
            document = IssuedDocument(
                kind=kind,
                problem=locked,
                supervision=supervision,
                event=event,
                year=today.year,
                sequence=sequence,
                number=number,
                issued_by=actor,
                issued_at=clock.now(),
            )
            stem = f"{locked.number}-{kind}-{today.year}-{sequence}"
            document.pdf.save(f"{stem}.pdf", ContentFile(pdf_bytes), save=False)
            document.docx.save(f"{stem}.docx", ContentFile(docx_bytes), save=False)
            document.save()
            if supervision is not None:
                Supervision.objects.filter(pk=supervision.pk).update(document_number=number)
            change.note = number
            change.payload = {"kind": kind, "number": number, "document_id": document.pk}
    return document
