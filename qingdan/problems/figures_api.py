"""Figures through the API (mounted at /api/v1/ by ``qingdan/api/v1.py``): a week's figures
live from the KPI module, the scoring settings, and appeals (申诉复核) — the same actions and
forms as the pages."""

from datetime import date, datetime, timedelta

from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as HttpStatus

from qingdan.accounts.models import Role, Unit
from qingdan.core.apitools import ERRORS, payload_dict, run_form, schema_for
from qingdan.core.ratelimit import limit_writes
from qingdan.lib import clock
from qingdan.lib.errors import InvalidInput, NotAllowed
from qingdan.problems import appeals, kpis
from qingdan.problems.access import access_problem
from qingdan.problems.forms import AppealDecisionForm, AppealForm, KpiSettingsForm
from qingdan.problems.models import Appeal, KpiSettings

router = Router(tags=["figures"])
FIGURE_ROLES = (Role.SECRETARIAT, Role.ADMIN, Role.LEADER, Role.UNIT_OFFICER, Role.UNIT_HEAD)


class UnitFiguresOut(Schema):
    unit: str
    unit_id: int
    rank: int | None
    figures: dict


class WeekFiguresOut(Schema):
    week_start: date
    as_of: datetime
    scoring: dict
    overall: dict
    units: list[UnitFiguresOut]


@router.get("/figures/week/{week}", response={200: WeekFiguresOut, **ERRORS})
def week_figures(request, week: date):
    """A week's cohort figures now, live from the KPI module (park staff). The published
    bulletin is the frozen record; this is what a new draft would say."""
    if request.user.role not in FIGURE_ROLES:
        raise NotAllowed(_no_figures())
    if week.weekday() != 0:
        raise InvalidInput(_monday())
    now = clock.now()
    overall, per_unit = kpis.unit_figures(kpis.cohort(week, week + timedelta(days=7)), now)
    names = Unit.objects.in_bulk(list(per_unit))
    return {
        "week_start": week,
        "as_of": now,
        "scoring": kpis.scoring().as_dict(),
        "overall": overall.as_dict(),
        "units": [
            {"unit": names[uid].name, "unit_id": uid, "rank": rank, "figures": figs.as_dict()}
            for uid, rank, figs in kpis.ranked(per_unit)
        ],
    }


def _no_figures():
    from django.utils.translation import gettext as _

    return _("Figures are for park staff.")


def _monday():
    from django.utils.translation import gettext as _

    return _("A bulletin covers a week: give its Monday.")


class ScoringOut(Schema):
    min_scored: int
    weight_response: str
    weight_on_time: str
    weight_satisfaction: str
    weight_first_time: str
    basic_weight: str
    appeal_workdays: int
    formula: str


def _scoring_out(row: KpiSettings) -> dict:
    s = kpis.scoring()
    return {
        "min_scored": row.min_scored,
        "weight_response": str(row.weight_response),
        "weight_on_time": str(row.weight_on_time),
        "weight_satisfaction": str(row.weight_satisfaction),
        "weight_first_time": str(row.weight_first_time),
        "basic_weight": str(row.basic_weight),
        "appeal_workdays": row.appeal_workdays,
        "formula": kpis.formula_text(s.as_dict()),
    }


@router.get("/figures/scoring", response={200: ScoringOut, **ERRORS}, auth=None)
def get_scoring(request):
    """How units are scored and ranked (public: the formula is printed in every bulletin)."""
    return _scoring_out(KpiSettings.objects.order_by("pk").first() or KpiSettings())


ScoringIn = schema_for(KpiSettingsForm, "ScoringIn")


@router.put("/figures/scoring", response={200: ScoringOut, **ERRORS})
def update_scoring(request, payload: ScoringIn):  # type: ignore[valid-type]
    """Change the weights, the ranking minimum, 基本满意's weight, the appeal window
    (secretariat)."""
    limit_writes(request)
    form = run_form(KpiSettingsForm, payload_dict(payload))
    row = kpis.save_scoring(actor=request.user, values=form.cleaned_data)
    return _scoring_out(row)


class AppealOut(Schema):
    id: int
    problem: str
    unit: str
    kind: str
    reason: str
    state: str
    state_label: str
    filed_at: datetime
    decided_at: datetime | None
    decision_note: str
    has_evidence: bool
    version: int


def appeal_out(a: Appeal) -> dict:
    return {
        "id": a.pk,
        "problem": a.problem.number,
        "unit": a.unit.name,
        "kind": a.kind,
        "reason": a.reason,
        "state": a.state,
        "state_label": str(a.get_state_display()),
        "filed_at": a.filed_at,
        "decided_at": a.decided_at,
        "decision_note": a.decision_note,
        "has_evidence": bool(a.evidence),
        "version": a.version,
    }


@router.get("/appeals", response={200: list[AppealOut], **ERRORS})
def list_appeals(request, state: str = ""):
    """Appeals the caller may see: the secretariat and leaders all, a unit its own."""
    found = appeals.visible_appeals(request.user)
    if state:
        found = found.filter(state=state)
    return [appeal_out(a) for a in found[:500]]


@router.post("/problems/{number}/appeals", response={201: AppealOut, **ERRORS})
def file_appeal(
    request,
    number: str,
    kind: Form[str],
    reason: Form[str],
    evidence: File[UploadedFile] = None,
):
    """The unit holding the task appeals its lateness judgement or its rating (multipart:
    ``kind`` lateness|rating, ``reason``, optional ``evidence`` file)."""
    limit_writes(request)
    problem = access_problem(request.user, number)
    form = AppealForm(
        data={"kind": kind, "reason": reason}, files={"evidence": evidence} if evidence else None
    )
    if not form.is_valid():
        from qingdan.core.apitools import FormInvalid

        raise FormInvalid({k: [str(m) for m in v] for k, v in form.errors.items()})
    appeal = appeals.file_appeal(problem, actor=request.user, **form.cleaned_data)
    return HttpStatus(201, appeal_out(appeal))


DecisionIn = schema_for(AppealDecisionForm, "AppealDecisionIn")


@router.post("/appeals/{appeal_id}/decide", response={200: AppealOut, **ERRORS})
def decide_appeal(request, appeal_id: int, payload: DecisionIn):  # type: ignore[valid-type]
    """The secretariat upholds or overturns (``decision``) with a ``reason``; never the unit
    that appeals."""
    limit_writes(request)
    appeal = get_object_or_404(appeals.visible_appeals(request.user), pk=appeal_id)
    form = run_form(AppealDecisionForm, payload_dict(payload))
    data = form.cleaned_data
    appeal = appeals.decide(
        appeal,
        actor=request.user,
        overturn=data["decision"] == "overturn",
        reason=data["reason"],
        expected_version=data["version"],
    )
    appeal.refresh_from_db()
    return appeal_out(appeal)
