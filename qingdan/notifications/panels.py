"""What the notifications app shows on other apps' pages (``qingdan.core.panels``)."""

from django.template.loader import render_to_string

from qingdan.core import panels
from qingdan.notifications.models import Subscription


@panels.register("problem_title")
def follow_problem(request, problem) -> str:
    following = Subscription.objects.filter(user=request.user, problem=problem).exists()
    return render_to_string(
        "notifications/_follow.html",
        {"kind": "problem", "key": problem.number, "following": following},
        request=request,
    )


@panels.register("challenge_title")
def follow_challenge(request, challenge) -> str:
    if challenge.state == "draft" or not request.user.is_authenticated:
        return ""
    following = Subscription.objects.filter(user=request.user, challenge=challenge).exists()
    return render_to_string(
        "notifications/_follow.html",
        {"kind": "challenge", "key": challenge.code, "following": following},
        request=request,
    )
