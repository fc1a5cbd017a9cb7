"""The only way views fetch problems: what a person may see, and 404 for everything else."""

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from qingdan.accounts.models import Role
from qingdan.core import hooks
from qingdan.problems.models import Problem, TaskUnit


def visible_problems(user) -> QuerySet[Problem]:
    problems = Problem.objects.all()
    if not user.is_authenticated:
        return problems.none()
    if user.role in (Role.SECRETARIAT, Role.ADMIN, Role.LEADER):
        return problems
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        return problems.filter(enterprise_id=user.enterprise_id)
    if user.role in (Role.UNIT_OFFICER, Role.UNIT_HEAD) and user.unit_id:
        co_handles = TaskUnit.objects.filter(problem=OuterRef("pk"), unit_id=user.unit_id)
        seen = problems.filter(lead_unit_id=user.unit_id) | problems.filter(Exists(co_handles))
        if commissioned := hooks.get("problems.commissioned"):  # 包联: their enterprises' too
            seen = seen | commissioned(user, problems)
        return seen
    return problems.none()


def access_problem(user, number: str) -> Problem:
    """The problem with this number if ``user`` may see it; 404 otherwise (existence does not
    leak to other enterprises or units)."""
    try:
        return (
            visible_problems(user)
            .select_related("enterprise", "category", "lead_unit", "responsible", "merged_into")
            .get(number=number)
        )
    except Problem.DoesNotExist:
        raise Http404 from None


def may_see(user, problem: Problem) -> bool:
    """Whether ``user`` may see ``problem``: the very rule of ``visible_problems``, asked of one
    problem (notifications, chat messages and exports ask it before telling anyone anything)."""
    if not getattr(user, "is_active", False):
        return False
    return visible_problems(user).filter(pk=problem.pk).exists()
