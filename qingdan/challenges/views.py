"""Challenge pages: the board (staff and public), drafting, and every step's form."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingdan.accounts.models import Role
from qingdan.challenges import actions, commands, workflow
from qingdan.challenges import forms as f
from qingdan.challenges.access import (
    access_challenge,
    enterprise_label,
    may_name,
    public_enterprises,
    sees_all_applications,
    visible_applications,
    visible_challenges,
)
from qingdan.challenges.models import Challenge, MilestoneChange, State
from qingdan.core import hooks
from qingdan.core.parity import api_twin
from qingdan.lib import clock, downloads
from qingdan.lib.bounds import MAX_SEARCH_CHARS
from qingdan.lib.errors import ActionError
from qingdan.problems.access import visible_problems
from qingdan.problems.models import Satisfaction
from qingdan.problems.warnings import cutoffs


def make_form(name: str, challenge: Challenge, data=None, user=None):
    form_class = commands.ACTIONS[name][0]
    kwargs = {"criteria": challenge.criteria} if form_class is f.ScoreForm else {}
    initial = {"version": challenge.version}
    if name == "apply" and user is not None and user.role == Role.TEAM:
        initial["team_name"] = user.get_full_name()  # the team's account already names it
    return form_class(data, initial=initial, **kwargs)


def milestone_colour(milestone, cut) -> str:
    """The problems' warning rule applied to a milestone's due date."""
    if milestone.reported_at:
        return ""
    if milestone.due < cut.red_before:
        return "red"
    if milestone.due < cut.today:
        return "yellow"
    return "blue" if milestone.due < cut.blue_before else ""


def board(request, *, public: bool):
    if public:
        challenges = Challenge.objects.exclude(state=State.DRAFT).select_related("owner_unit")
    else:
        challenges = visible_challenges(request.user)
    query = request.GET.get("q", "").strip()[:MAX_SEARCH_CHARS]
    if query and (search := hooks.get("challenges.search")):
        challenges = search(challenges, query)
    return render(
        request,
        "challenges/board.html",
        {
            "challenges": challenges[:200],
            "public": public,
            "q": query,
            "can_create": not public and request.user.role in (Role.SECRETARIAT, Role.ADMIN),
        },
    )


@login_required
def challenge_list(request):
    return board(request, public=False)


def public_board(request):
    return board(request, public=True)


def public_detail(request, code):
    challenge = Challenge.objects.exclude(state=State.DRAFT).filter(code=code).first()
    if challenge is None:
        raise Http404
    cut = cutoffs()
    return render(
        request,
        "challenges/public_detail.html",
        {
            "challenge": challenge,
            "enterprises": public_enterprises(challenge),
            "selected": challenge.selected,
            "milestones": [(m, milestone_colour(m, cut)) for m in challenge.milestones.all()],
        },
    )


@api_twin("create_challenge")
@login_required
def create(request):
    if request.user.role not in (Role.SECRETARIAT, Role.ADMIN):
        raise PermissionDenied
    form = f.ChallengeForm(
        request.POST or None, initial={"problem": request.GET.get("problem", "")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        problem = None
        if data["problem"]:
            problem = visible_problems(request.user).filter(number=data["problem"].strip()).first()
            if problem is None:
                form.add_error("problem", _("There is no problem with that number."))
        if not form.errors:
            try:
                challenge = actions.create(
                    actor=request.user,
                    title=data["title"],
                    goal=data["goal"],
                    owner_unit=data["owner_unit"],
                    conditions=data["conditions"],
                    application_deadline=data["application_deadline"],
                    delivery_deadline=data["delivery_deadline"],
                    support_funds_wan_yuan=data["support_funds_wan_yuan"],
                    support_resources=data["support_resources"],
                    problem=problem,
                    enterprises=data["enterprises"],
                    may_name_enterprises=data["may_name_enterprises"],
                )
            except ActionError as refused:
                form.add_error(None, refused.message)
            else:
                return redirect(challenge)
    return render(request, "challenges/create.html", {"form": form})


@login_required
def detail(request, code, errors=None, status=200):
    challenge = access_challenge(request.user, code)
    user = request.user
    allowed = workflow.allowed_actions(user, challenge)
    cut = cutoffs()
    applications = list(visible_applications(user, challenge).prefetch_related("reviews"))
    mine = [a for a in applications if a.applicant_id == user.pk and a.state == "submitted"]
    if "withdraw" in allowed and not mine:
        allowed.remove("withdraw")
    if "apply" in allowed and (mine or clock.today() > challenge.application_deadline):
        allowed.remove("apply")
    return render(
        request,
        "challenges/detail.html",
        {
            "challenge": challenge,
            "allowed": allowed,
            "forms": {name: make_form(name, challenge, user=user) for name in allowed},
            "labels": actions.ACTION_LABELS,
            "applications": applications,
            "sees_all": sees_all_applications(user, challenge),
            "milestones": [(m, milestone_colour(m, cut)) for m in challenge.milestones.all()],
            "instructions": (
                challenge.instructions.select_related("leader", "acknowledged_by")
                if reads_instructions(user)
                else []
            ),
            "changes": MilestoneChange.objects.filter(
                milestone__challenge=challenge
            ).select_related("milestone", "requested_by", "decided_by"),
            "events": [
                _event_row(user, challenge, e)
                for e in challenge.events.select_related("actor", "actor__enterprise")
            ],
            "ratings": [
                (
                    enterprise_label(user, challenge, r.enterprise),
                    SATISFACTION.get(r.satisfaction, ""),
                    r.comment if may_name(user, challenge, r.enterprise) else "",
                )
                for r in challenge.ratings.select_related("enterprise")
            ],
            "errors": errors,
        },
        status=status,
    )


SATISFACTION = dict(Satisfaction.choices)
# 领导批示 are the park's own business: applicants and enterprises see that a step happened on
# the timeline, not what the leader wrote nor the unit's follow-up.
INSTRUCTION_STEPS = {"instruct", "acknowledge_instruction"}
PARK_ROLES = (Role.SECRETARIAT, Role.ADMIN, Role.LEADER, Role.UNIT_OFFICER, Role.UNIT_HEAD)


def reads_instructions(user) -> bool:
    return user.is_authenticated and user.role in PARK_ROLES


def _event_row(user, challenge, event) -> dict:
    """An event as this person may read it: an enterprise's rating names neither the
    enterprise nor its contact, nor shows its comment, where the challenge promised not to
    name the enterprises."""
    actor = event.actor.get_full_name() if event.actor_id else ""
    note = event.note
    enterprise = event.actor.enterprise if event.actor_id else None
    if enterprise is not None and not may_name(user, challenge, enterprise):
        actor, note = enterprise_label(user, challenge, enterprise), ""
    if event.action in INSTRUCTION_STEPS and not reads_instructions(user):
        note = ""
    return {"action": event.action, "actor": actor, "created": event.created, "note": note}


@login_required
def application_attachment(request, code, pk):
    """A team's supporting document: for the park staff who see every application and for the
    team that applied (others, even of a selected team, get 404)."""
    challenge = access_challenge(request.user, code)
    application = visible_applications(request.user, challenge).filter(pk=pk).first()
    if application is None or not application.attachment:
        raise Http404
    staff = sees_all_applications(request.user, challenge)
    if not staff and application.applicant_id != request.user.pk:
        raise Http404
    name = application.attachment.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return downloads.serve_upload(application.attachment, name=name, content_type=content_type)


@login_required
def evidence(request, code, pk):
    """A milestone's evidence file, for those who may see the challenge."""
    challenge = access_challenge(request.user, code)
    parties = workflow.parties_of(request.user, challenge)
    involved = parties & {workflow.Party.REVIEWER, workflow.Party.LEADER, workflow.Party.ENTERPRISE}
    if not involved and not sees_all_applications(request.user, challenge):
        raise Http404  # the secretariat, leaders, reviewers, the team, the enterprises concerned
    milestone = challenge.milestones.filter(pk=pk).exclude(evidence="").first()
    if milestone is None:
        raise Http404
    return downloads.serve_upload(
        milestone.evidence, name=milestone.evidence_name, content_type=milestone.evidence_type
    )


@api_twin("challenge_{action}")
@login_required
@require_POST
def act(request, code, action):
    challenge = access_challenge(request.user, code)
    if action not in commands.ACTIONS:
        raise Http404
    form_class, function = commands.ACTIONS[action]
    kwargs = {"criteria": challenge.criteria} if form_class is f.ScoreForm else {}
    form = form_class(request.POST, request.FILES, **kwargs)
    if not form.is_valid():
        messages.error(request, _("Nothing was changed: see the form below."))
        return detail(request, code, errors=(action, form), status=400)
    try:
        result = function(challenge, actor=request.user, **form.action_kwargs(request.user))
    except ActionError as refused:
        messages.error(request, refused.message)
        return detail(request, code, errors=(action, form), status=refused.status)
    messages.success(request, _("Done: %(action)s.") % {"action": actions.ACTION_LABELS[action]})
    if isinstance(result, Challenge):
        return redirect(result)
    return redirect(challenge)
