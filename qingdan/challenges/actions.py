"""Every change to a challenge, through one transition function (as for problems)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from qingdan.accounts.models import Role, User
from qingdan.challenges import workflow
from qingdan.challenges.models import (
    Application,
    Challenge,
    ChallengeEvent,
    ChallengeInstruction,
    Milestone,
    MilestoneChange,
    Rating,
    Review,
    State,
)
from qingdan.core import events
from qingdan.lib import bounds, clock
from qingdan.lib.errors import Conflict, InvalidInput, NotAllowed
from qingdan.problems.attachments import check_upload
from qingdan.problems.supervision import acknowledge_pending

# Every change to a challenge goes through the shared engine with the challenges' table.
transition = workflow.CHALLENGES.transition
ACTION_LABELS = workflow.ACTION_LABELS


def _required(text: str, message) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(message)
    return text


# --- Publishing ---------------------------------------------------------------------------


def next_code(year: int) -> str:
    last = Challenge.objects.filter(code__startswith=f"JB-{year}-").aggregate(m=Max("code"))["m"]
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"JB-{year}-{number:03d}"


def create(
    *,
    actor: User,
    title: str,
    goal: str,
    owner_unit,
    application_deadline: date,
    delivery_deadline: date,
    conditions: str = "",
    support_funds_wan_yuan=Decimal(0),
    support_resources: str = "",
    criteria=None,
    problem=None,
    enterprises=(),
    may_name_enterprises: bool = False,
    republished_from=None,
) -> Challenge:
    if actor.role not in (Role.SECRETARIAT, Role.ADMIN):
        raise NotAllowed(_("Only the secretariat drafts challenges."))
    title = _required(title, _("Give the challenge a title."))
    goal = _required(goal, _("State the goal."))
    if application_deadline >= delivery_deadline:
        raise InvalidInput(_("Applications must close before the delivery deadline."))
    if Decimal(support_funds_wan_yuan) < 0:
        raise InvalidInput(_("Support funds cannot be negative."))
    criteria = criteria or [
        {"name": _("Technical plan"), "weight": 40},
        {"name": _("Team strength"), "weight": 30},
        {"name": _("Cost and time"), "weight": 30},
    ]
    if sum(int(c["weight"]) for c in criteria) != 100:
        raise InvalidInput(_("The criteria's weights must add up to 100."))
    with transaction.atomic():
        for _attempt in range(3):
            try:
                with transaction.atomic():
                    challenge = Challenge.objects.create(
                        code=next_code(clock.today().year),
                        title=title,
                        goal=goal,
                        conditions=conditions,
                        support_funds_wan_yuan=support_funds_wan_yuan,
                        support_resources=support_resources,
                        criteria=criteria,
                        application_deadline=application_deadline,
                        delivery_deadline=delivery_deadline,
                        owner_unit=owner_unit,
                        problem=problem,
                        may_name_enterprises=may_name_enterprises,
                        created=clock.now(),
                        created_by=actor,
                        republished_from=republished_from,
                    )
                break
            except IntegrityError:  # two drafts took the same number at once: take the next
                continue
        challenge.enterprises.set(enterprises)
        event = ChallengeEvent.objects.create(
            challenge=challenge,
            actor=actor,
            created=clock.now(),
            action="create",
            to_state=State.DRAFT,
        )
        events.send("challenges", [event], actor)
    return challenge


def publish(challenge, *, actor, expected_version=None):
    with transition(challenge, "publish", actor, expected_version=expected_version) as change:
        if change.obj.application_deadline < clock.today():
            raise InvalidInput(_("The application deadline has passed: set a later one."))
        change.obj.published_at = clock.now()
        change.fields.add("published_at")
    return challenge


# --- Applying and selecting -----------------------------------------------------------------


def parse_milestones(text: str) -> list[tuple[date, str]]:
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        day, _space, title = line.partition(" ")
        try:
            rows.append((date.fromisoformat(day), title.strip() or day))
        except ValueError:
            raise InvalidInput(
                _("Milestone line %(n)s must start with a date (YYYY-MM-DD).") % {"n": number}
            ) from None
    if not rows:
        raise InvalidInput(_("Give at least one milestone."))
    return sorted(rows)


def apply(
    challenge,
    *,
    actor,
    team_kind,
    team_name,
    leader_name,
    plan,
    milestones,
    commitment,
    members="",
    attachment=None,
    expected_version=None,
) -> Application:
    plan = _required(plan, _("Describe the plan."))
    if attachment is not None:
        try:
            check_upload(attachment)
        except ValidationError as refused:
            raise InvalidInput(
                " ".join(refused.messages), fields={"attachment": refused.messages}
            ) from None
    commitment = _required(commitment, _("State the commitment."))
    team_name = _required(team_name, _("Name the team."))
    leader_name = _required(leader_name, _("Name the team leader."))
    rows = parse_milestones(milestones)
    with transition(challenge, "apply", actor, expected_version=expected_version) as change:
        if clock.today() > change.obj.application_deadline:
            raise NotAllowed(
                _("Applications closed on %(d)s.") % {"d": change.obj.application_deadline}
            )
        if rows[-1][0] > change.obj.delivery_deadline:
            raise InvalidInput(_("The last milestone is after the delivery deadline."))
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    challenge=change.obj,
                    applicant=actor,
                    team_kind=team_kind,
                    team_name=team_name,
                    leader_name=leader_name,
                    members=members,
                    plan=plan,
                    milestones=milestones,
                    commitment=commitment,
                    created=clock.now(),
                )
                if attachment is not None:
                    application.attachment.save(attachment.name[-100:], attachment, save=True)
        except IntegrityError:
            raise InvalidInput(_("You have applied already; withdraw it to apply again.")) from None
        change.payload = {"team": team_name}
    return application


def withdraw(challenge, *, actor, expected_version=None):
    with transition(challenge, "withdraw", actor, expected_version=expected_version) as change:
        application = change.obj.applications.filter(
            applicant=actor, state=Application.State.SUBMITTED
        ).first()
        if application is None:
            raise NotAllowed(_("You have no application to withdraw."))
        application.state = Application.State.WITHDRAWN
        application.save(update_fields=["state"])
        change.payload = {"team": application.team_name}
    return challenge


def start_review(challenge, *, actor, expected_version=None):
    with transition(challenge, "start_review", actor, expected_version=expected_version) as change:
        if not change.obj.applications.filter(state="submitted").exists():
            raise InvalidInput(_("No application to review: extend the deadline or republish."))
    return challenge


def score(
    challenge, *, actor, application_id: int, scores: dict, comment="", expected_version=None
) -> Review:
    with transition(challenge, "score", actor, expected_version=expected_version) as change:
        application = change.obj.applications.filter(
            pk=application_id, state=Application.State.SUBMITTED
        ).first()
        if application is None:
            raise InvalidInput(_("No such application under review."))
        criteria = {c["name"]: Decimal(str(c["weight"])) for c in change.obj.criteria}
        clean = {}
        for name in criteria:
            try:
                value = Decimal(str(scores.get(name, "")))
            except ArithmeticError:
                value = Decimal(-1)
            if not 0 <= value <= 100:
                raise InvalidInput(_("Score “%(c)s” from 0 to 100.") % {"c": name})
            clean[name] = str(value)
        total = sum(Decimal(clean[n]) * w for n, w in criteria.items()) / 100
        review, _created = Review.objects.update_or_create(
            application=application,
            reviewer=actor,
            defaults={
                "scores": clean,
                "total": total.quantize(Decimal("0.01")),
                "comment": comment,
                "created": clock.now(),
            },
        )
        change.payload = {"team": application.team_name, "total": str(review.total)}
    return review


def select(challenge, *, actor, application_id: int, note="", expected_version=None):
    """挂帅: exactly one team. The database's constraint refuses a second selection even when
    two are made at the same moment."""
    with transition(challenge, "select", actor, expected_version=expected_version) as change:
        application = change.obj.applications.filter(
            pk=application_id, state=Application.State.SUBMITTED
        ).first()
        if application is None:
            raise InvalidInput(_("No such application under review."))
        try:
            with transaction.atomic():
                application.state = Application.State.SELECTED
                application.save(update_fields=["state"])
        except IntegrityError:
            raise Conflict(_("Another team was selected meanwhile.")) from None
        others = list(change.obj.applications.filter(state=Application.State.SUBMITTED))
        Application.objects.filter(pk__in=[o.pk for o in others]).update(
            state=Application.State.UNSUCCESSFUL
        )
        Milestone.objects.filter(challenge=change.obj).delete()
        Milestone.objects.bulk_create(
            Milestone(challenge=change.obj, position=i, title=title, due=due)
            for i, (due, title) in enumerate(parse_milestones(application.milestones))
        )
        change.note = note
        change.payload = {"team": application.team_name, "unsuccessful": len(others)}
        change.payload["applicants"] = {
            "selected": application.applicant_id,
            "unsuccessful": [o.applicant_id for o in others],
        }
    return challenge


# --- Delivering -----------------------------------------------------------------------------


def sign_letter(challenge, *, actor, expected_version=None):
    """The selected team's leader signs the task letter (任务书): its milestones as selected."""
    with transition(challenge, "sign_letter", actor, expected_version=expected_version) as change:
        change.payload = {
            "milestones": [[m.due.isoformat(), m.title] for m in change.obj.milestones.all()]
        }
    return challenge


def report_milestone(
    challenge, *, actor, milestone_id: int, report: str, evidence=None, expected_version=None
):
    """Report a milestone as delivered, with the evidence (a photo, PDF or Office file)."""
    report = _required(report, _("Write what was delivered."))
    content_type = check_upload(evidence) if evidence else ""
    with transition(
        challenge, "report_milestone", actor, expected_version=expected_version
    ) as change:
        milestone = change.obj.milestones.filter(pk=milestone_id).first()
        if milestone is None:
            raise InvalidInput(_("No such milestone."))
        milestone.report = report
        milestone.reported_at = clock.now()
        if evidence:
            milestone.evidence.save(evidence.name, evidence, save=False)
            milestone.evidence_name = evidence.name[:200]
            milestone.evidence_type = content_type
        milestone.save(
            update_fields=["report", "reported_at", "evidence", "evidence_name", "evidence_type"]
        )
        change.note = report
        change.payload = {"milestone": milestone.title, "on_time": clock.today() <= milestone.due}
    return challenge


def request_change(
    challenge, *, actor, milestone_id: int, new_due: date, reason: str, expected_version=None
) -> MilestoneChange:
    reason = _required(reason, _("Say why the milestone must change."))
    with transition(
        challenge, "request_change", actor, expected_version=expected_version
    ) as change:
        milestone = change.obj.milestones.filter(pk=milestone_id, reported_at=None).first()
        if milestone is None:
            raise InvalidInput(_("No such open milestone."))
        if new_due > change.obj.delivery_deadline:
            raise InvalidInput(_("A milestone cannot be after the delivery deadline."))
        try:
            with transaction.atomic():
                request = MilestoneChange.objects.create(
                    milestone=milestone,
                    requested_by=actor,
                    reason=reason,
                    old_due=milestone.due,
                    new_due=new_due,
                    created=clock.now(),
                )
        except IntegrityError:
            raise InvalidInput(_("A change of this milestone is already waiting.")) from None
        change.note = reason
        change.payload = {"milestone": milestone.title, "new_due": new_due.isoformat()}
    return request


def decide_change(
    challenge, *, actor, change_id: int, approve: bool, note="", expected_version=None
):
    with transition(challenge, "decide_change", actor, expected_version=expected_version) as change:
        request = (
            MilestoneChange.objects.filter(
                pk=change_id, milestone__challenge=change.obj, decision="pending"
            )
            .select_related("milestone")
            .first()
        )
        if request is None:
            raise InvalidInput(_("No such change waiting."))
        request.decision = "approved" if approve else "refused"
        request.decided_by = actor
        request.decision_note = note
        request.save(update_fields=["decision", "decided_by", "decision_note"])
        if approve:
            request.milestone.due = request.new_due
            request.milestone.save(update_fields=["due"])
        change.note = note
        change.payload = {
            "milestone": request.milestone.title,
            "approved": approve,
            "due": request.milestone.due.isoformat(),
        }
    return challenge


def deliver(challenge, *, actor, note="", expected_version=None):
    with transition(challenge, "deliver", actor, expected_version=expected_version) as change:
        if change.obj.milestones.filter(reported_at=None).exists():
            raise InvalidInput(_("Report every milestone before delivering."))
        change.note = note
    return challenge


# --- Acceptance -----------------------------------------------------------------------------


def rate(challenge, *, actor, satisfaction: str, comment="", expected_version=None):
    if satisfaction not in ("satisfied", "basic", "unsatisfied"):
        raise InvalidInput(_("Choose a satisfaction level."))
    with transition(challenge, "rate", actor, expected_version=expected_version) as change:
        Rating.objects.update_or_create(
            challenge=change.obj,
            enterprise=actor.enterprise,
            defaults={
                "rated_by": actor,
                "satisfaction": satisfaction,
                "comment": comment,
                "created": clock.now(),
            },
        )
        change.note = comment
        change.payload = {"enterprise": actor.enterprise.name, "satisfaction": satisfaction}
    return challenge


DECISIONS = {
    "passed": State.PASSED,
    "passed_conditions": State.PASSED_WITH_CONDITIONS,
    "failed": State.FAILED,
}


def accept(challenge, *, actor, decision: str, reasons: str, follow_up="", expected_version=None):
    if decision not in DECISIONS:
        raise InvalidInput(_("Choose passed, passed with conditions, or failed."))
    reasons = _required(reasons, _("Give the reasons for the decision."))
    with transition(challenge, "accept", actor, expected_version=expected_version) as change:
        change.target = DECISIONS[decision]
        change.obj.decision_note = reasons
        change.obj.follow_up = follow_up
        change.fields |= {"decision_note", "follow_up"}
        change.note = reasons
        change.payload = {
            "decision": decision,
            "ratings": list(change.obj.ratings.values_list("satisfaction", flat=True)),
        }
    return challenge


def republish(
    challenge, *, actor, application_deadline: date, delivery_deadline: date, expected_version=None
) -> Challenge:
    """A failed challenge is published again: a new draft copying it, linked to it."""
    with transition(challenge, "republish", actor, expected_version=expected_version) as change:
        old = change.obj
        new = create(
            actor=actor,
            title=old.title,
            goal=old.goal,
            owner_unit=old.owner_unit,
            application_deadline=application_deadline,
            delivery_deadline=delivery_deadline,
            conditions=old.conditions,
            support_funds_wan_yuan=old.support_funds_wan_yuan,
            support_resources=old.support_resources,
            criteria=old.criteria,
            problem=old.problem,
            enterprises=list(old.enterprises.all()),
            may_name_enterprises=old.may_name_enterprises,
            republished_from=old,
        )
        change.payload = {"republished_as": new.code}
    return new


# --- Leaders' instructions (领导批示) --------------------------------------------------------


def _bounded_text(name: str, text, missing) -> str:
    """The action's own guard on the shared bounds (whatever channel called it)."""
    if not (text or "").strip():
        raise InvalidInput(missing, fields={name: [str(missing)]})
    try:
        return bounds.clean_text(text, max_length=bounds.TEXT)
    except ValueError as refused:
        raise InvalidInput(refused, fields={name: [str(refused)]}) from None


def instruct(challenge, *, actor, text: str, expected_version=None) -> ChallengeInstruction:
    """领导批示: a leader's instruction on a challenge, shown on top of it until the owner unit
    acknowledges it."""
    text = _bounded_text("text", text, _("Write the instruction."))
    with transition(challenge, "instruct", actor, expected_version=expected_version) as change:
        instruction = ChallengeInstruction.objects.create(
            challenge=change.obj, leader=actor, created=clock.now(), text=text
        )
        change.note = text
        change.payload = {"instruction_id": instruction.pk, "leader_ids": [actor.pk]}
    return instruction


def acknowledge_instruction(
    challenge, *, actor, note: str, expected_version=None
) -> list[ChallengeInstruction]:
    """The owner unit acknowledges the instructions waiting on the challenge, saying how it
    follows them up."""
    note = _bounded_text("note", note, _("Say how the instruction is followed up."))
    with transition(
        challenge, "acknowledge_instruction", actor, expected_version=expected_version
    ) as change:
        pending = acknowledge_pending(change, note)
    return pending
