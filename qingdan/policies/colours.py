"""An application's warning colour, by the problems' rule applied to its review deadline."""

from qingdan.policies.models import State
from qingdan.problems.warnings import Cutoffs

UNDER_REVIEW = (State.SUBMITTED,)


def colour_of(application, cut: Cutoffs) -> str:
    if application.state not in UNDER_REVIEW or application.review_deadline is None:
        return ""
    if application.review_deadline < cut.red_before:
        return "red"
    if application.review_deadline < cut.today:
        return "yellow"
    if application.review_deadline < cut.blue_before:
        return "blue"
    return ""
