"""揭榜挂帅 through the API (mounted at /api/v1/ by ``qingdan/api/v1.py``): the public board for
anyone, drafting for the secretariat, and every step through ``commands.ACTIONS`` — one
operation per step, its body documented from the step's form, the same rules as the page."""

from datetime import date

from django.utils.translation import gettext as _
from ninja import Path, Router, Schema
from ninja.responses import Status as HttpStatus

from qingdan.accounts.models import Role
from qingdan.challenges import actions, commands, workflow
from qingdan.challenges.access import access_challenge, public_enterprises, visible_challenges
from qingdan.challenges.forms import ChallengeForm
from qingdan.challenges.models import Challenge
from qingdan.core.apitools import ERRORS, payload_dict, run_form, schema_for
from qingdan.core.ratelimit import limit_writes
from qingdan.lib import bounds
from qingdan.lib.errors import InvalidInput, NotAllowed
from qingdan.problems.access import visible_problems

router = Router(tags=["challenges"])
MAX_PAGE = 200
Code = Path(..., max_length=bounds.CODE, description="The challenge's number, e.g. JB-2026-001")


class MilestoneOut(Schema):
    id: int
    title: str
    due: date
    reported_at: date | None


class ChallengeOut(Schema):
    code: str
    title: str
    goal: str
    conditions: str
    support_funds_wan_yuan: str
    application_deadline: date
    delivery_deadline: date
    owner_unit: str
    state: str
    state_label: str
    selected_team: str | None
    enterprises: list[str]
    milestones: list[MilestoneOut]
    version: int
    allowed_actions: list[str]


def challenge_out(challenge: Challenge, user) -> dict:
    selected = challenge.selected
    return {
        "code": challenge.code,
        "title": challenge.title,
        "goal": challenge.goal,
        "conditions": challenge.conditions,
        "support_funds_wan_yuan": str(challenge.support_funds_wan_yuan),
        "application_deadline": challenge.application_deadline,
        "delivery_deadline": challenge.delivery_deadline,
        "owner_unit": challenge.owner_unit.name,
        "state": challenge.state,
        "state_label": challenge.get_state_display(),
        "selected_team": selected.team_name if selected else None,
        "enterprises": public_enterprises(challenge),
        "milestones": [
            {
                "id": m.pk,
                "title": m.title,
                "due": m.due,
                "reported_at": m.reported_at.date() if m.reported_at else None,
            }
            for m in challenge.milestones.all()
        ],
        "version": challenge.version,
        "allowed_actions": workflow.allowed_actions(user, challenge),
    }


@router.get("/challenges", response={200: list[ChallengeOut], **ERRORS}, auth=None)
def list_challenges(request):
    """Published challenges (no token needed); the secretariat also sees drafts."""
    return [challenge_out(c, request.user) for c in visible_challenges(request.user)[:MAX_PAGE]]


@router.get("/challenges/{code}", response={200: ChallengeOut, **ERRORS}, auth=None)
def get_challenge(request, code: str = Code):
    return challenge_out(access_challenge(request.user, code), request.user)


ChallengeIn = schema_for(ChallengeForm, "ChallengeIn")


@router.post("/challenges", response={201: ChallengeOut, **ERRORS})
def create_challenge(request, payload: ChallengeIn):  # type: ignore[valid-type]
    """Draft a challenge (the secretariat), as on the page; publish it with its `publish` step."""
    limit_writes(request)
    if request.user.role not in (Role.SECRETARIAT, Role.ADMIN):
        raise NotAllowed(_("Only the secretariat drafts challenges."))
    data = run_form(ChallengeForm, payload_dict(payload)).cleaned_data
    problem = None
    if data["problem"]:
        problem = visible_problems(request.user).filter(number=data["problem"].strip()).first()
        if problem is None:
            raise InvalidInput(
                _("There is no problem with that number."),
                fields={"problem": [_("There is no problem with that number.")]},
            )
    challenge = actions.create(
        actor=request.user,
        problem=problem,
        **{
            key: data[key]
            for key in (
                "title",
                "goal",
                "owner_unit",
                "conditions",
                "application_deadline",
                "delivery_deadline",
                "support_funds_wan_yuan",
                "support_resources",
                "enterprises",
                "may_name_enterprises",
            )
        },
    )
    return HttpStatus(201, challenge_out(challenge, request.user))


def _add_step_endpoint(name: str, form_class, function) -> None:
    body = schema_for(form_class, f"Challenge_{name}_In", extra=name == "score")

    def endpoint(request, payload: body, code: str = Code):  # type: ignore[valid-type]
        limit_writes(request)
        challenge = access_challenge(request.user, code)
        extra = {"criteria": challenge.criteria} if name == "score" else {}
        form = run_form(form_class, payload_dict(payload), **extra)
        result = function(challenge, actor=request.user, **form.action_kwargs(request.user))
        target = result if isinstance(result, Challenge) else challenge
        return challenge_out(access_challenge(request.user, target.code), request.user)

    endpoint.__name__ = f"challenge_{name}"
    description = "The same step as on the challenge's page, with the same rules."
    if name == "score":
        description += " Send one `score_<n>` (0–100) per review criterion, in their order."
    router.post(
        f"/challenges/{{code}}/actions/{name}",
        response={200: ChallengeOut, **ERRORS},
        operation_id=f"challenge_{name}",
        summary=workflow.CHALLENGES.label(name),
        description=description,
    )(endpoint)


for _name, (_form, _function) in commands.ACTIONS.items():
    _add_step_endpoint(_name, _form, _function)
