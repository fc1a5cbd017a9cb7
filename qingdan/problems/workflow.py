"""The lifecycle as data: (state, action) → new state, and who may act.

Web views, the API and management commands never change ``Problem.status`` themselves: they call
an action in ``actions.py``, which asks ``check()`` here. Adding a transition is one row below.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Role
from qingdan.problems.models import Problem, RequestState, Status


class Party(StrEnum):
    """How a person stands to one problem (computed, per problem)."""

    SECRETARIAT = "secretariat"
    LEAD = "lead"  # a member of the lead unit
    CO = "co"  # a member of a co-handling unit
    ENTERPRISE = "enterprise"  # a contact of the problem's enterprise
    LEADER = "leader"


@dataclass(frozen=True)
class Rule:
    action: str
    source: Status
    target: Status
    parties: frozenset[Party]
    # A condition beyond the state: the name of a function in GUARDS.
    guard: str = ""


S, L, C, E = Party.SECRETARIAT, Party.LEAD, Party.CO, Party.ENTERPRISE


def rule(action, source, target, *parties, guard=""):
    return Rule(action, source, target, frozenset(parties), guard)


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
    ]
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

TABLE: dict[tuple[str, str], Rule] = {(r.source, r.action): r for r in RULES}

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
    "relate": _("Link as related"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def _pending_extension(problem: Problem) -> bool:
    return problem.extensions.filter(state=RequestState.PENDING).exists()


GUARDS = {
    "pending": _pending_extension,
    "no_pending": lambda problem: not _pending_extension(problem),
}
GUARD_MESSAGES = {
    "pending": _("There is no extension request waiting for a decision."),
    "no_pending": _("An extension request is already waiting for a decision."),
}


def parties_of(user, problem: Problem) -> set[Party]:
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


class NotAllowed(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def check(user, problem: Problem, action: str) -> Rule:
    """The rule that lets ``user`` do ``action`` now, or NotAllowed with a clear reason."""
    found = TABLE.get((problem.status, action))
    if found is None:
        raise NotAllowed(
            _("“%(action)s” is not possible while the problem is “%(status)s”.")
            % {"action": action_label(action), "status": problem.get_status_display()}
        )
    if not found.parties & parties_of(user, problem):
        raise NotAllowed(_("You are not allowed to do this on this problem."))
    if found.guard and not GUARDS[found.guard](problem):
        raise NotAllowed(GUARD_MESSAGES[found.guard])
    return found


def allowed_actions(user, problem: Problem) -> list[str]:
    """Actions ``user`` may take now, in table order, each once."""
    parties = parties_of(user, problem)
    actions = []
    for candidate in RULES:
        if (
            candidate.source == problem.status
            and candidate.parties & parties
            and candidate.action not in actions
            and (not candidate.guard or GUARDS[candidate.guard](problem))
        ):
            actions.append(candidate.action)
    return actions
