"""Who sees which project: leaders and the secretariat all; a unit the projects it is
responsible for; an enterprise its own."""

from django.http import Http404

from qingdan.accounts.models import Role
from qingdan.projects.models import Project


def visible_projects(user):
    projects = Project.objects.select_related("investor", "responsible_unit")
    if not user.is_authenticated:
        return projects.none()
    if user.role in (Role.SECRETARIAT, Role.ADMIN, Role.LEADER):
        return projects
    if user.role in (Role.UNIT_OFFICER, Role.UNIT_HEAD):
        return projects.filter(responsible_unit_id=user.unit_id)
    if user.role == Role.ENTERPRISE:
        return projects.filter(investor_id=user.enterprise_id)
    return projects.none()


def access_project(user, pk: int) -> Project:
    project = visible_projects(user).filter(pk=pk).first()
    if project is None:
        raise Http404
    return project


def sees_indicators(user) -> bool:
    return user.is_authenticated and user.role in (
        Role.SECRETARIAT,
        Role.ADMIN,
        Role.LEADER,
        Role.UNIT_OFFICER,
        Role.UNIT_HEAD,
    )
