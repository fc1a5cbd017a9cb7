"""Who sees which policy and application: published policies are seen by everyone signed in,
drafts by the secretariat; an enterprise sees only its own applications (any other is 404),
a unit those of the policies it reviews, the secretariat and the leaders all."""

from django.db.models import QuerySet
from django.http import Http404

from qingdan.accounts.models import KEEPERS, Role
from qingdan.policies.models import Application, Policy


def visible_policies(user) -> QuerySet[Policy]:
    policies = Policy.objects.select_related("review_unit")
    if not getattr(user, "is_authenticated", False):
        return policies.none()
    if user.role in KEEPERS:
        return policies
    return policies.filter(published=True)


def access_policy(user, code: str) -> Policy:
    policy = visible_policies(user).filter(code=str(code)[:40]).first()
    if policy is None:
        raise Http404
    return policy


def visible_applications(user) -> QuerySet[Application]:
    applications = Application.objects.select_related("policy", "enterprise")
    if not getattr(user, "is_authenticated", False):
        return applications.none()
    if user.role in (*KEEPERS, Role.LEADER):
        return applications
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        return applications.filter(enterprise_id=user.enterprise_id)
    if user.role in (Role.UNIT_OFFICER, Role.UNIT_HEAD) and user.unit_id:
        return applications.filter(policy__review_unit_id=user.unit_id)
    return applications.none()


def access_application(user, code: str) -> Application:
    application = visible_applications(user).filter(code=str(code)[:40]).first()
    if application is None:
        raise Http404
    return application
