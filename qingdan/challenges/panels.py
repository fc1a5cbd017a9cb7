"""What challenges show on other apps' pages (``qingdan.core.panels``): the leaders'
instructions on challenges, on the leaders' instructions page (领导批示)."""

from django.template.loader import render_to_string

from qingdan.accounts.models import Role
from qingdan.challenges.models import ChallengeInstruction
from qingdan.core import panels

MAX_ROWS = 500


def instructions_for(user):
    """The challenge instructions a person lists: a leader's own, every one for the
    secretariat, those on the unit's own challenges for a unit; none for anyone else."""
    found = ChallengeInstruction.objects.select_related(
        "challenge", "challenge__owner_unit", "leader", "acknowledged_by"
    )
    if user.role == Role.LEADER:
        return found.filter(leader=user)
    if user.role in (Role.SECRETARIAT, Role.ADMIN):
        return found
    if user.role in (Role.UNIT_OFFICER, Role.UNIT_HEAD) and user.unit_id:
        return found.filter(challenge__owner_unit_id=user.unit_id)
    return found.none()


@panels.register("instructions")
def challenge_instructions(request, _obj=None) -> str:
    """The leaders' instructions page: the instructions on challenges, with their follow-up."""
    found = instructions_for(request.user)
    if request.GET.get("pending"):
        found = found.filter(acknowledged_at__isnull=True)
    return render_to_string(
        "challenges/_instructions_panel.html", {"items": found[:MAX_ROWS]}, request=request
    )
