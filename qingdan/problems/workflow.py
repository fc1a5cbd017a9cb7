"""The lifecycle as data: (state, action) → new state, and who may act.

Web views, the API and management commands never change ``Problem.status`` themselves: they call
an action in ``actions.py``, which asks ``check()`` here. Adding a transition is one row below.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Role
from qingdan.core.workflow import Change, Guard, Workflow, rule
from qingdan.lib import clock
from qingdan.problems.attachments import check_upload
from qingdan.problems.models import (
    Attachment,
    Instruction,
    Problem,
    ProblemEvent,
    RequestState,
    Status,
    Supervision,
)


class Party(StrEnum):
    """How a person stands to one problem (computed, per problem)."""

    SECRETARIAT = "secretariat"
    LEAD = "lead"  # a member of the lead unit
    CO = "co"  # a member of a co-handling unit
    ENTERPRISE = "enterprise"  # a contact of the problem's enterprise
    LEADER = "leader"
    SYSTEM = "system"  # the reminder ladder and other scheduled jobs (no person acts)


S, L, C, E = Party.SECRETARIAT, Party.LEAD, Party.CO, Party.ENTERPRISE
LEADER, SYSTEM = Party.LEADER, Party.SYSTEM

RUNNING = (Status.ASSIGNED, Status.IN_PROGRESS)
# A supervision opened on a running task stays open (to be replied to and closed) whatever the
# task does meanwhile.
SUPERVISED = (Status.ASSIGNED, Status.RETURNED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED)
# A leader may write an instruction on any task from its acceptance to its close-out.
INSTRUCTABLE = (Status.ACCEPTED, Status.ASSIGNED, Status.RETURNED, Status.IN_PROGRESS)
INSTRUCTABLE += (Status.RESOLVED,)


RULES = (
    [
        rule("accept", Status.SUBMITTED, Status.ACCEPTED, S),
        rule("decline", Status.SUBMITTED, Status.DECLINED, S),
        rule("merge", Status.SUBMITTED, Status.MERGED, S),
        rule("merge", Status.ACCEPTED, Status.MERGED, S),
        rule("assign", Status.ACCEPTED, Status.ASSIGNED, S),
        rule("sign", Status.ASSIGNED, Status.IN_PROGRESS, L),
        rule("return", Status.ASSIGNED, Status.RETURNED, L),
        rule("assign", Status.RETURNED, Status.ASSIGNED, S),
        rule("reject_return", Status.RETURNED, Status.ASSIGNED, S),
        rule("progress", Status.IN_PROGRESS, Status.IN_PROGRESS, L, C),
        rule("request_extension", Status.IN_PROGRESS, Status.IN_PROGRESS, L, guard="no_pending"),
        rule("approve_extension", Status.IN_PROGRESS, Status.IN_PROGRESS, S, guard="pending"),
        rule("refuse_extension", Status.IN_PROGRESS, Status.IN_PROGRESS, S, guard="pending"),
        rule("complete", Status.IN_PROGRESS, Status.RESOLVED, L),
        rule("rate", Status.RESOLVED, Status.RESOLVED, S, E),
        rule("redo", Status.RESOLVED, Status.IN_PROGRESS, S, E),
        rule("close", Status.RESOLVED, Status.CLOSED, S),
        rule("reopen", Status.CLOSED, Status.IN_PROGRESS, S, E),
        # 回访: the secretariat phones the enterprise after the unit reported completion (and
        # may call again after close-out); the call is its own step with whom, when, outcome.
        rule("follow_up", Status.RESOLVED, Status.RESOLVED, S),
        rule("follow_up", Status.CLOSED, Status.CLOSED, S),
        rule("escalate", Status.ASSIGNED, Status.ASSIGNED, Party.SYSTEM),
        rule("escalate", Status.IN_PROGRESS, Status.IN_PROGRESS, Party.SYSTEM),
        # 改派: the secretariat moves a running task to another lead unit (to be signed for).
        rule("reassign", Status.ASSIGNED, Status.ASSIGNED, S),
        rule("reassign", Status.IN_PROGRESS, Status.ASSIGNED, S, guard="no_pending"),
    ]
    # 催办: the secretariat (or the reminder ladder, the day after the deadline) urges the unit.
    + [rule("urge", state, state, S, SYSTEM) for state in RUNNING]
    # 督办: opened with a reply date, replied to by the lead unit, closed once replied.
    + [rule("supervise", state, state, S, LEADER, guard="no_supervision") for state in RUNNING]
    + [rule("supervision_reply", state, state, L, guard="awaiting_reply") for state in SUPERVISED]
    + [rule("close_supervision", state, state, S, LEADER, guard="replied") for state in SUPERVISED]
    # 领导批示 and its acknowledgement by the lead unit.
    + [rule("instruct", state, state, LEADER) for state in INSTRUCTABLE]
    + [
        rule("acknowledge_instruction", state, state, L, guard="instruction_pending")
        for state in INSTRUCTABLE
    ]
    # 交办单 / 督办通知书: numbered and stored once issued.
    + [rule("issue_document", state, state, S) for state in SUPERVISED]
    # 约谈: an interview of a unit, recorded on each task it concerned.
    + [rule("interview", state, state, S) for state in Status]
    + [
        # Link to a related problem (alike, not the same: no merge), in any state.
        rule("relate", state, state, S)
        for state in Status
    ]
    + [
        rule("add_info", state, state, E, S)
        for state in (Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED, Status.RETURNED)
        + (Status.IN_PROGRESS, Status.RESOLVED)
    ]
)

ACTION_LABELS = {
    "raise": _("Raised"),
    "accept": _("Accept"),
    "decline": _("Decline"),
    "merge": _("Merge into another"),
    "assign": _("Assign"),
    "sign": _("Sign for"),
    "return": _("Return"),
    "reject_return": _("Reject the return"),
    "progress": _("Report progress"),
    "request_extension": _("Ask for an extension"),
    "approve_extension": _("Approve the extension"),
    "refuse_extension": _("Refuse the extension"),
    "complete": _("Report completion"),
    "rate": _("Confirm and rate"),
    "redo": _("Send back for redo"),
    "close": _("Close out"),
    "reopen": _("Reopen"),
    "add_info": _("Add information"),
    "follow_up": _("Record a follow-up call"),
    "escalate": _("Escalated to the leaders"),
    "relate": _("Link as related"),
    "urge": _("Urge"),
    "supervise": _("Supervise"),
    "supervision_reply": _("Reply to the supervision"),
    "close_supervision": _("Close the supervision"),
    "reassign": _("Reassign"),
    "instruct": _("Leader's instruction"),
    "acknowledge_instruction": _("Acknowledge the instruction"),
    "interview": _("Interview"),
    "issue_document": _("Document issued"),
    # Steps of a challenge published from the problem (揭榜挂帅), shown on its timeline.
    "challenge_publish": _("Turned into a challenge"),
    "challenge_select": _("Challenge team selected"),
    "challenge_accept": _("Challenge acceptance decided"),
}


def _pending_extension(problem: Problem) -> bool:
    return problem.extensions.filter(state=RequestState.PENDING).exists()


def _open_supervision(problem: Problem, state: str) -> bool:
    return problem.supervisions.filter(state=state).exists()


GUARDS = {
    "no_supervision": Guard(
        lambda problem: not problem.supervisions.exclude(state=Supervision.State.CLOSED).exists(),
        _("A supervision of this task is already open."),
    ),
    "awaiting_reply": Guard(
        lambda problem: _open_supervision(problem, Supervision.State.OPEN),
        _("There is no supervision waiting for a reply."),
    ),
    "replied": Guard(
        lambda problem: _open_supervision(problem, Supervision.State.REPLIED),
        _("A supervision is closed only once the unit has replied."),
    ),
    "instruction_pending": Guard(
        lambda problem: Instruction.objects.filter(
            problem=problem, acknowledged_at__isnull=True
        ).exists(),
        _("There is no instruction waiting to be acknowledged."),
    ),
    "pending": Guard(
        _pending_extension, _("There is no extension request waiting for a decision.")
    ),
    "no_pending": Guard(
        lambda problem: not _pending_extension(problem),
        _("An extension request is already waiting for a decision."),
    ),
}


def parties_of(user, problem: Problem) -> set[Party]:
    if user is None:
        return {Party.SYSTEM}
    parties = set()
    if user.role in (Role.SECRETARIAT, Role.ADMIN):
        parties.add(Party.SECRETARIAT)
    elif user.role == Role.LEADER:
        parties.add(Party.LEADER)
    elif user.role == Role.ENTERPRISE and user.enterprise_id == problem.enterprise_id:
        parties.add(Party.ENTERPRISE)
    elif user.role in (Role.UNIT_OFFICER, Role.UNIT_HEAD) and user.unit_id:
        if problem.lead_unit_id == user.unit_id:
            parties.add(Party.LEAD)
        elif problem.task_units.filter(unit_id=user.unit_id, is_lead=False).exists():
            parties.add(Party.CO)
    return parties


def record(change: Change, from_status: str, to_status: str) -> ProblemEvent:
    """The problem's event row, with the files the action brought (evidence, photos)."""
    event = ProblemEvent.objects.create(
        problem=change.obj,
        actor=change.actor,
        created=clock.now(),
        action=change.action,
        from_status=from_status,
        to_status=to_status,
        note=change.note,
        payload=change.payload,
    )
    store_files(change.obj, event, change.files, change.actor)
    return event


def store_files(problem: Problem, event: ProblemEvent, files, actor) -> None:
    for upload in files:
        content_type = check_upload(upload)
        Attachment.objects.create(
            problem=problem,
            event=event,
            file=upload,
            name=upload.name[:200],
            content_type=content_type,
            size=upload.size,
            uploaded_by=actor,
            created=event.created,
        )


PROBLEMS = Workflow(
    domain="problems",
    model=Problem,
    rules=RULES,
    labels=ACTION_LABELS,
    guards=GUARDS,
    parties_of=parties_of,
    record=record,
    noun=_("this problem"),
)
check = PROBLEMS.check
allowed_actions = PROBLEMS.allowed
action_label = PROBLEMS.label
