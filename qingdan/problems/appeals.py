"""申诉复核: a unit appeals a judgement on one of its tasks (its lateness, or its rating) within
N working days (the secretariat's setting, default 3), with a reason and evidence; the
secretariat — never the unit that appeals — upholds or overturns it, with a reason.

An overturned judgement changes the figures of every bulletin computed after the decision
(``kpis.facts_for`` reads the appeals decided by its "as of" moment); a published bulletin never
changes — a correction is a new version that says what it corrects. Every step is an
``AppealEvent`` and a domain event ("appeals").
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Role, User
from qingdan.core import events
from qingdan.core.workflow import Change, Workflow, rule
from qingdan.lib import bounds, clock
from qingdan.lib.errors import InvalidInput, NotAllowed
from qingdan.problems import calendar, kpis
from qingdan.problems.attachments import check_upload
from qingdan.problems.models import Appeal, AppealEvent, KpiSettings, Problem, ProblemEvent

SECRETARIAT = "secretariat"
PENDING, UPHELD, OVERTURNED = Appeal.State.PENDING, Appeal.State.UPHELD, Appeal.State.OVERTURNED

RULES = [
    rule("uphold", PENDING, UPHELD, SECRETARIAT),
    rule("overturn", PENDING, OVERTURNED, SECRETARIAT),
]
LABELS = {
    "file": _("Appeal filed"),
    "uphold": _("Uphold the judgement"),
    "overturn": _("Overturn the judgement"),
}


def parties_of(user, appeal: Appeal) -> set[str]:
    """The secretariat decides, unless the person belongs to the unit that appeals."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    if user.role in (Role.SECRETARIAT, Role.ADMIN) and user.unit_id != appeal.unit_id:
        return {SECRETARIAT}
    return set()


def record(change: Change, from_state: str, to_state: str) -> AppealEvent:
    return AppealEvent.objects.create(
        appeal=change.obj, **change.event_values(from_state, to_state)
    )


APPEALS = Workflow(
    domain="appeals",
    model=Appeal,
    rules=RULES,
    labels=LABELS,
    parties_of=parties_of,
    record=record,
    state_field="state",
    noun=_("this appeal"),
)


def appeal_window() -> int:
    row = KpiSettings.objects.order_by("pk").first() or KpiSettings()
    return row.appeal_workdays


def judgement_of(problem: Problem, kind: str):
    """The event that made the judgement a unit may appeal (None: nothing to appeal)."""
    facts = kpis.facts_for(Problem.objects.filter(pk=problem.pk)).get(problem.pk)
    if facts is None or facts.lead_unit_id is None:
        return None
    history = ProblemEvent.objects.filter(problem=problem).order_by("-created", "-id")
    if kind == Appeal.Kind.LATENESS:
        late_completion = facts.completed and not facts.first_on_time
        late_sign = facts.signed and not facts.signed_on_time
        if not (late_completion or late_sign):
            return None
        found = [
            e
            for e in history.filter(action__in=["sign", "complete"])
            if e.payload.get("on_time") is False
        ]
        return found[-1] if found else None  # the first late judgement
    if kind == Appeal.Kind.RATING:
        if not facts.satisfaction or facts.satisfaction == "satisfied":
            return None
        return history.filter(action__in=["rate", "redo"]).first()
    return None


def _reason(text, missing) -> str:
    try:
        return bounds.clean_text(text, max_length=bounds.TEXT)
    except ValueError as refused:
        message = missing if not (text or "").strip() else str(refused)
        raise InvalidInput(message, fields={"reason": [message]}) from None


def file_appeal(problem: Problem, *, actor: User, kind: str, reason: str, evidence=None) -> Appeal:
    """The lead unit appeals a lateness judgement or a rating of its task."""
    if kind not in Appeal.Kind.values:
        raise InvalidInput(_("Choose what is appealed."), fields={"kind": ["invalid"]})
    reason = _reason(reason, _("Say why the judgement is wrong."))
    if actor.role not in (Role.UNIT_OFFICER, Role.UNIT_HEAD) or actor.unit_id is None:
        raise NotAllowed(_("Only the unit that holds the task can appeal."))
    with transaction.atomic():
        problem = Problem.objects.select_for_update().get(pk=problem.pk)
        if problem.lead_unit_id != actor.unit_id:
            raise NotAllowed(_("Only the unit that holds the task can appeal."))
        judged = judgement_of(problem, kind)
        if judged is None:
            raise InvalidInput(_("There is no such judgement on this task to appeal."))
        if Appeal.objects.filter(problem=problem, kind=kind).exists():
            raise InvalidInput(_("This judgement has already been appealed."))
        window = appeal_window()
        last_day = calendar.add_workdays(judged.created.astimezone(clock.BEIJING).date(), window)
        if clock.today() > last_day:
            raise InvalidInput(
                _(
                    "An appeal must be filed within %(n)s working days of the judgement "
                    "(by %(day)s)."
                )
                % {"n": window, "day": last_day.isoformat()}
            )
        if evidence is not None:
            try:
                check_upload(evidence)
            except ValidationError as refused:
                raise InvalidInput(
                    " ".join(refused.messages), fields={"evidence": ["invalid"]}
                ) from None
        appeal = Appeal.objects.create(
            problem=problem,
            unit_id=actor.unit_id,
            kind=kind,
            reason=reason,
            filed_by=actor,
            filed_at=clock.now(),
        )
        if evidence is not None:
            appeal.evidence.save(evidence.name[-100:], evidence, save=True)
        event = AppealEvent.objects.create(
            appeal=appeal,
            actor=actor,
            created=appeal.filed_at,
            action="file",
            from_state="",
            to_state=appeal.state,
            note=reason,
            payload={"problem": problem.number, "kind": kind, "judged_event": judged.pk},
        )
        events.send("appeals", [event], actor)
    return appeal


def decide(
    appeal: Appeal, *, actor: User, overturn: bool, reason: str, expected_version=None
) -> Appeal:
    """The secretariat upholds or overturns the judgement, with its reason."""
    reason = _reason(reason, _("Give the reason for the decision."))
    action = "overturn" if overturn else "uphold"
    with APPEALS.transition(appeal, action, actor, expected_version=expected_version) as change:
        change.note = reason
        change.payload = {"problem": change.obj.problem.number, "kind": change.obj.kind}
        change.set(decided_by=actor, decided_at=clock.now(), decision_note=reason)
    return appeal


def visible_appeals(user):
    """The secretariat and leaders: all; a unit: its own; others: none."""
    appeals = Appeal.objects.select_related("problem", "unit")
    if not getattr(user, "is_authenticated", False):
        return appeals.none()
    if user.role in (Role.SECRETARIAT, Role.ADMIN, Role.LEADER):
        return appeals
    if user.role in (Role.UNIT_OFFICER, Role.UNIT_HEAD) and user.unit_id:
        return appeals.filter(unit_id=user.unit_id)
    return appeals.none()
