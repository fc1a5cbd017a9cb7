"""Who sees which challenge: drafts are the secretariat's; published ones are public (with the
enterprises named only if allowed); applications are seen by the secretariat, the owner unit,
reviewers, and each applicant only their own."""

from django.http import Http404

from qingdan.accounts.models import Role
from qingdan.challenges.models import Application, Challenge, State
from qingdan.problems.redaction import anonymous_name_for


def visible_challenges(user):
    challenges = Challenge.objects.select_related("owner_unit")
    if user.is_authenticated and user.role in (Role.SECRETARIAT, Role.ADMIN):
        return challenges
    return challenges.exclude(state=State.DRAFT)


def access_challenge(user, code: str) -> Challenge:
    challenge = visible_challenges(user).filter(code=code).first()
    if challenge is None:
        raise Http404
    return challenge


def sees_all_applications(user, challenge: Challenge) -> bool:
    return user.is_authenticated and (
        user.role in (Role.SECRETARIAT, Role.ADMIN, Role.LEADER)
        or (user.unit_id is not None and user.unit_id == challenge.owner_unit_id)
    )


def visible_applications(user, challenge: Challenge):
    applications = challenge.applications.select_related("applicant")
    if sees_all_applications(user, challenge):
        return applications
    if not user.is_authenticated:
        return applications.filter(state=Application.State.SELECTED)
    return applications.filter(applicant=user) | applications.filter(
        state=Application.State.SELECTED
    )


def public_enterprises(challenge: Challenge) -> list[str]:
    """The enterprises concerned as the public sees them (one label each, even when several
    share an industry: "某电子企业" three times says nothing and looks like a fault)."""
    names = [enterprise_label(None, challenge, e) for e in challenge.enterprises.all()]
    return list(dict.fromkeys(names))


def may_name(user, challenge: Challenge, enterprise) -> bool:
    """Whether ``user`` may read the name of an enterprise concerned: when the challenge allows
    it, for park staff who see all applications, and for the enterprise itself."""
    if challenge.may_name_enterprises:
        return True
    if user is None or not user.is_authenticated:
        return False
    if user.role == Role.ENTERPRISE:
        return user.enterprise_id == enterprise.pk
    return sees_all_applications(user, challenge)


def enterprise_label(user, challenge: Challenge, enterprise) -> str:
    if may_name(user, challenge, enterprise):
        return enterprise.name
    return anonymous_name_for(enterprise.industry)
