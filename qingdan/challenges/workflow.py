"""A challenge's steps as data: (state, action) → new state, and who may take each step.

Every change to a challenge goes through the shared engine (``qingdan.core.workflow``) with this
table, exactly as problems do with theirs.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Role
from qingdan.challenges.models import (
    Application,
    Challenge,
    ChallengeEvent,
    ChallengeInstruction,
    State,
)
from qingdan.core.workflow import Change, Guard, Workflow, rule
from qingdan.problems import actions as problem_actions


class Party(StrEnum):
    SECRETARIAT = "secretariat"
    OWNER = "owner"  # a member of the owner unit
    REVIEWER = "reviewer"  # the secretariat and the owner unit score applications
    APPLICANT = "applicant"  # may apply: units, enterprises, challenge teams
    LEADER = "team_leader"  # the selected team's applicant
    ENTERPRISE = "enterprise"  # a contact of an enterprise concerned
    PARK_LEADER = "leader"  # a park leader (领导), who may write an instruction (批示)


S, R, A, L, E = Party.SECRETARIAT, Party.REVIEWER, Party.APPLICANT, Party.LEADER, Party.ENTERPRISE

RULES = [
    rule("publish", State.DRAFT, State.PUBLISHED, S),
    rule("apply", State.PUBLISHED, State.PUBLISHED, A),
    rule("withdraw", State.PUBLISHED, State.PUBLISHED, A),
    rule("start_review", State.PUBLISHED, State.REVIEWING, S),
    rule("score", State.REVIEWING, State.REVIEWING, R),
    rule("select", State.REVIEWING, State.SELECTED, S),
    rule("sign_letter", State.SELECTED, State.DELIVERING, L),
    rule("report_milestone", State.DELIVERING, State.DELIVERING, L),
    rule("request_change", State.DELIVERING, State.DELIVERING, L),
    rule("decide_change", State.DELIVERING, State.DELIVERING, S),
    rule("deliver", State.DELIVERING, State.ACCEPTING, L),
    rule("rate", State.ACCEPTING, State.ACCEPTING, E),
    # The acceptance decision chooses the new state: passed, passed with conditions, failed.
    rule("accept", State.ACCEPTING, None, S),
    rule("republish", State.FAILED, State.FAILED, S),
]
# 领导批示: a leader writes an instruction on any challenge the leader sees; the owner unit
# acknowledges it, saying how it follows it up. Neither changes the challenge's state.
RULES += [rule("instruct", state, state, Party.PARK_LEADER) for state in State.values]
RULES += [
    rule("acknowledge_instruction", state, state, Party.OWNER, guard="instruction_pending")
    for state in State.values
]
GUARDS = {
    "instruction_pending": Guard(
        lambda challenge: ChallengeInstruction.objects.filter(
            challenge=challenge, acknowledged_at__isnull=True
        ).exists(),
        _("There is no instruction waiting to be acknowledged."),
    ),
}
ACTION_LABELS = {
    "create": _("Drafted"),
    "publish": _("Publish the challenge"),
    "apply": _("Take up the challenge"),
    "withdraw": _("Withdraw the application"),
    "start_review": _("Close applications and review"),
    "score": _("Score an application"),
    "select": _("Select the team"),
    "sign_letter": _("Sign the task letter"),
    "report_milestone": _("Report a milestone"),
    "request_change": _("Ask to change a milestone"),
    "decide_change": _("Decide a milestone change"),
    "deliver": _("Deliver for acceptance"),
    "rate": _("Rate the result"),
    "accept": _("Acceptance decision"),
    "republish": _("Republish"),
    "instruct": _("Leader's instruction"),
    "acknowledge_instruction": _("Acknowledge the instruction"),
}
APPLICANT_ROLES = (Role.UNIT_OFFICER, Role.UNIT_HEAD, Role.ENTERPRISE, Role.TEAM)
# Steps that also appear on the timeline of the problem the challenge came from.
ON_PROBLEM_TIMELINE = {"publish", "select", "accept"}


def parties_of(user, challenge: Challenge) -> set[Party]:
    parties = set()
    if user.role in (Role.SECRETARIAT, Role.ADMIN):
        parties |= {S, R}
    if user.role == Role.LEADER:
        parties.add(Party.PARK_LEADER)
    if user.unit_id and user.unit_id == challenge.owner_unit_id:
        parties |= {Party.OWNER, R}
    if user.role in APPLICANT_ROLES:
        parties.add(A)
    selected = challenge.applications.filter(state=Application.State.SELECTED).first()
    if selected is not None and selected.applicant_id == user.pk:
        parties.add(L)
    if (
        user.role == Role.ENTERPRISE
        and challenge.enterprises.filter(pk=user.enterprise_id).exists()
    ):
        parties.add(E)
    return parties


def record(change: Change, from_state: str, to_state: str) -> ChallengeEvent:
    challenge = change.obj
    event = ChallengeEvent.objects.create(
        challenge=challenge, **change.event_values(from_state, to_state)
    )
    if challenge.problem_id and change.action in ON_PROBLEM_TIMELINE:
        problem_actions.record_related_step(
            challenge.problem,
            actor=change.actor,
            action=f"challenge_{change.action}",
            note=change.note,
            payload={"challenge": challenge.code, "state": to_state},
        )
    return event


CHALLENGES = Workflow(
    domain="challenges",
    model=Challenge,
    rules=RULES,
    labels=ACTION_LABELS,
    parties_of=parties_of,
    record=record,
    state_field="state",
    noun=_("this challenge"),
    guards=GUARDS,
)
allowed_actions = CHALLENGES.allowed
