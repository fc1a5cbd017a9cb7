"""An application's steps as data (申报 → 审核 → 兑现), through the shared engine."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Role
from qingdan.core.workflow import Change, Workflow, rule
from qingdan.policies.models import Application, ApplicationEvent, State


class Party(StrEnum):
    REVIEWER = "reviewer"  # the secretariat, and the policy's reviewing unit
    PAYER = "payer"  # the secretariat records payments
    APPLICANT = "applicant"  # a contact of the applying enterprise


R, P, A = Party.REVIEWER, Party.PAYER, Party.APPLICANT

RULES = [
    rule("request_info", State.SUBMITTED, State.MORE_INFO, R),
    rule("resubmit", State.MORE_INFO, State.SUBMITTED, A),
    rule("approve", State.SUBMITTED, State.APPROVED, R),
    rule("refuse", State.SUBMITTED, State.REFUSED, R),
    rule("refuse", State.MORE_INFO, State.REFUSED, R),
    rule("pay", State.APPROVED, State.PAID, P),
    rule("add_materials", State.SUBMITTED, State.SUBMITTED, A),
    rule("add_materials", State.MORE_INFO, State.MORE_INFO, A),
    rule("withdraw", State.SUBMITTED, State.WITHDRAWN, A),
    rule("withdraw", State.MORE_INFO, State.WITHDRAWN, A),
]
ACTION_LABELS = {
    "submit": _("Applied"),
    "grant": _("Granted without application"),
    "request_info": _("Ask for more information"),
    "resubmit": _("Send the information asked"),
    "add_materials": _("Add materials"),
    "approve": _("Approve"),
    "refuse": _("Refuse"),
    "pay": _("Record the payment"),
    "withdraw": _("Withdraw the application"),
}


def parties_of(user, application: Application) -> set[Party]:
    parties = set()
    if not getattr(user, "is_authenticated", False):
        return parties
    if user.role in (Role.SECRETARIAT, Role.ADMIN):
        parties |= {R, P}
    if user.unit_id and user.unit_id == application.policy.review_unit_id:
        parties.add(R)
    if user.role == Role.ENTERPRISE and user.enterprise_id == application.enterprise_id:
        parties.add(A)
    return parties


def record(change: Change, from_state: str, to_state: str) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=change.obj, **change.event_values(from_state, to_state)
    )


APPLICATIONS = Workflow(
    domain="policies",
    model=Application,
    rules=RULES,
    labels=ACTION_LABELS,
    parties_of=parties_of,
    record=record,
    state_field="state",
    noun=_("this application"),
)
allowed_actions = APPLICATIONS.allowed
