"""The weekly 政策体检: for each enterprise, the policies it newly qualifies for (or is newly
one condition short of) since the last notice. The notifications app sends the notices (it
listens above this app); this module only says what is new and remembers what was said."""

from qingdan.accounts.models import Enterprise, Role, User
from qingdan.lib import clock
from qingdan.policies import eligibility
from qingdan.policies.models import CheckupOptOut, MatchNotice, Policy


def wants_checkup(user: User) -> bool:
    return not CheckupOptOut.objects.filter(user=user).exists()


def set_checkup(user: User, *, on: bool) -> None:
    """A person turns their weekly 政策体检 notice on or off (their subscription)."""
    if on:
        CheckupOptOut.objects.filter(user=user).delete()
    else:
        CheckupOptOut.objects.get_or_create(user=user)


def new_matches(enterprise: Enterprise) -> list[eligibility.Match]:
    today = clock.today()
    policies = Policy.objects.filter(published=True).exclude(valid_until__lt=today)
    said = set(
        MatchNotice.objects.filter(enterprise=enterprise).values_list("policy_id", "verdict")
    )
    return [
        m
        for m in eligibility.policies_for(enterprise, policies)
        if (m.policy.pk, m.verdict) not in said
    ]


def remember(enterprise: Enterprise, matches: list[eligibility.Match]) -> None:
    MatchNotice.objects.bulk_create(
        [
            MatchNotice(
                enterprise=enterprise, policy=m.policy, verdict=m.verdict, created=clock.now()
            )
            for m in matches
        ],
        ignore_conflicts=True,
    )


def recipients(enterprise: Enterprise) -> list[User]:
    contacts = User.objects.filter(enterprise=enterprise, role=Role.ENTERPRISE, is_active=True)
    return [u for u in contacts if wants_checkup(u)]
