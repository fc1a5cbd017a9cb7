"""Every change to a policy or an application. Applications change only through the shared
engine (``workflow.APPLICATIONS``); each step writes one event and tells the listeners."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from qingdan.accounts.models import Enterprise, Role, User, may_keep
from qingdan.core import events, records
from qingdan.lib import bounds, clock
from qingdan.lib.errors import InvalidInput, NotAllowed
from qingdan.policies import eligibility, workflow
from qingdan.policies.models import (
    Application,
    ApplicationEvent,
    Condition,
    Figure,
    Kind,
    Material,
    Operator,
    Policy,
    State,
)
from qingdan.problems import calendar
from qingdan.problems.attachments import check_upload

transition = workflow.APPLICATIONS.transition
POLICY_FIELDS = (
    "title",
    "issuer",
    "document_number",
    "valid_from",
    "valid_until",
    "benefit",
    "amount_wan_yuan",
    "summary",
    "materials",
    "window_opens",
    "window_closes",
    "exempt",
    "review_unit",
    "review_days",
)
# The operators each kind of condition takes.
OPERATORS = {
    Kind.TAG: (Operator.HAS, Operator.NOT_HAS),
    Kind.INDUSTRY: (Operator.PREFIX,),
    Kind.SIZE: (Operator.IN,),
    Kind.GRADE: (Operator.IN,),
    Kind.LOCATION: (Operator.IN,),
    Kind.FIGURE: (Operator.GTE, Operator.LTE),
    Kind.CAPITAL: (Operator.GTE, Operator.LTE),
}


def _keeper(actor: User) -> None:
    if not may_keep(actor):
        raise NotAllowed(_("Only the secretariat writes policies."))


def _next_code(model, prefix: str, digits: int) -> str:
    year = clock.today().year
    last = model.objects.filter(code__startswith=f"{prefix}-{year}-").aggregate(m=Max("code"))["m"]
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}-{year}-{number:0{digits}d}"


def _create_numbered(model, prefix: str, digits: int, **fields):
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return model.objects.create(code=_next_code(model, prefix, digits), **fields)
        except IntegrityError:  # two took the same number at once: take the next
            continue
    raise InvalidInput(_("Please try again."))


def _check_policy(values: dict) -> None:
    if values.get("valid_until") and values["valid_until"] < values["valid_from"]:
        raise InvalidInput(_("The policy must be valid from before it ends."))
    if (
        values.get("window_opens")
        and values.get("window_closes")
        and (values["window_closes"] < values["window_opens"])
    ):
        raise InvalidInput(_("The application window must open before it closes."))


def create_policy(*, actor: User, values: dict) -> Policy:
    _keeper(actor)
    values = {k: values[k] for k in POLICY_FIELDS if k in values}
    _check_policy(values)
    with transaction.atomic():
        policy = _create_numbered(
            Policy,
            "ZC",
            3,
            created=clock.now(),
            created_by=actor,
            valid_from=values["valid_from"],
            title=values["title"],
        )
        return records.save(policy, actor=actor, values=values)


def update_policy(policy: Policy, *, actor: User, values: dict) -> Policy:
    _keeper(actor)
    values = {k: values[k] for k in POLICY_FIELDS if k in values}
    _check_policy(values)
    records.save(policy, actor=actor, values=values)
    policy.refresh_from_db()
    return policy


def publish_policy(policy: Policy, *, actor: User, published: bool = True) -> Policy:
    _keeper(actor)
    records.save(policy, actor=actor, values={"published": published})
    policy.refresh_from_db()
    return policy


def add_condition(
    policy: Policy, *, actor: User, kind: str, operator: str, value: str, figure: str = ""
) -> Condition:
    """A condition written in the form: its kind takes only its operators; numbers are
    numbers; tags, sizes and grades are from their lists."""
    _keeper(actor)
    from qingdan.enterprises.models import Grade, SizeClass, Tag

    if kind not in Kind.values or operator not in OPERATORS[Kind(kind)]:
        raise InvalidInput(
            _("This kind of condition takes: %(ops)s.")
            % {"ops": "、".join(str(Operator(o).label) for o in OPERATORS.get(kind, ()))}
        )
    value = (value or "").strip()
    if not value:
        raise InvalidInput(_("Give the condition's value."), fields={"value": [_("Required.")]})
    lists = {Kind.TAG: Tag.values, Kind.SIZE: SizeClass.values, Kind.GRADE: Grade.values}
    if kind in lists and not all(v in lists[kind] for v in eligibility._values(value)):
        raise InvalidInput(
            _("Choose values from the list: %(v)s.") % {"v": "、".join(lists[kind])},
            fields={"value": [_("Not in the list.")]},
        )
    if kind in (Kind.FIGURE, Kind.CAPITAL):
        try:
            value = str(bounds.clean_decimal(value))
        except ValueError as invalid:
            raise InvalidInput(str(invalid), fields={"value": [str(invalid)]}) from None
    if kind == Kind.FIGURE and figure not in Figure.values:
        raise InvalidInput(_("Choose the figure."), fields={"figure": [_("Required.")]})
    if kind != Kind.FIGURE:
        figure = ""
    return records.save(
        Condition(policy=policy),
        actor=actor,
        values={"kind": kind, "operator": operator, "value": value, "figure": figure},
    )


def remove_condition(condition: Condition, *, actor: User) -> None:
    _keeper(actor)
    records.delete(condition, actor=actor, fields=["kind", "figure", "operator", "value"])


# --- Applications ----------------------------------------------------------------------------


def review_deadline(start: date, policy: Policy) -> date:
    return calendar.add_workdays(start, policy.review_days, guess=True)


def _event(application, actor, action, to_state, note="", payload=None) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application,
        actor=actor,
        created=clock.now(),
        action=action,
        to_state=to_state,
        note=note,
        payload=payload or {},
    )


def _checked(files) -> list:
    """Every file checked (type read from its content, size) before anything is written: one
    refused file refuses the whole step."""
    checked = []
    for upload in files:
        try:
            checked.append((upload, check_upload(upload)))
        except ValidationError as refused:
            raise InvalidInput(" ".join(refused.messages)) from None
    return checked


def _store(application, event, checked) -> None:
    """The checked files, with the step's event. Should one fail to be stored, those already
    written are removed with the transaction's rows: nothing half-stored remains."""
    stored = []
    try:
        for upload, content_type in checked:
            material = Material.objects.create(
                application=application,
                event=event,
                file=upload,
                name=upload.name[:200],
                content_type=content_type,
                size=upload.size,
                created=clock.now(),
            )
            stored.append(material.file)
    except Exception:
        for file in stored:
            file.storage.delete(file.name)
        raise


def apply(
    policy: Policy, *, actor: User, statement: str = "", files=(), problem=None
) -> Application:
    """申报: an enterprise contact applies for their enterprise, in the policy's window."""
    if actor.role != Role.ENTERPRISE or not actor.enterprise_id:
        raise NotAllowed(_("Enterprises apply for policies with their own accounts."))
    if not policy.published:
        raise NotAllowed(_("This policy is not published."))
    if policy.exempt:
        raise InvalidInput(_("This policy is paid without application."))
    today = clock.today()
    if not policy.window_open(today):
        raise InvalidInput(_("Applications for this policy are not open now."))
    try:
        statement = bounds.clean_text(statement, required=False)
    except ValueError as invalid:
        raise InvalidInput(str(invalid)) from None
    if problem is not None and problem.enterprise_id != actor.enterprise_id:
        raise NotAllowed(_("Link only your own enterprise's problems."))
    checked = _checked(files)
    with transaction.atomic():
        try:
            with transaction.atomic():
                application = _create_numbered(
                    Application,
                    "SB",
                    5,
                    policy=policy,
                    enterprise_id=actor.enterprise_id,
                    applicant=actor,
                    statement=statement,
                    state=State.SUBMITTED,
                    submitted=clock.now(),
                    review_deadline=review_deadline(today, policy),
                    problem=problem,
                )
        except IntegrityError:
            raise InvalidInput(_("Your enterprise has applied for this policy already.")) from None
        event = _event(
            application, actor, "submit", State.SUBMITTED, payload={"policy": policy.code}
        )
        _store(application, event, checked)
        events.send("policies", [event], actor)
    return application


def grant_exempt(
    policy: Policy, *, actor: User, enterprises: list[Enterprise]
) -> list[Application]:
    """免申即享: the secretariat approves the list of eligible enterprises to be paid without
    an application; each gets an approved application (and its event). Only enterprises that
    are eligible now (every condition met) may be on the list."""
    _keeper(actor)
    if not policy.exempt:
        raise InvalidInput(_("This policy is not marked as paid without application."))
    created = []
    with transaction.atomic():
        for enterprise in enterprises:
            if eligibility.match(policy, enterprise).verdict != eligibility.ELIGIBLE:
                raise InvalidInput(
                    _("%(e)s is not eligible (every condition must be met).")
                    % {"e": enterprise.name}
                )
            if (
                policy.applications.filter(enterprise=enterprise)
                .exclude(state__in=[State.REFUSED, State.WITHDRAWN])
                .exists()
            ):
                continue
            application = _create_numbered(
                Application,
                "SB",
                5,
                policy=policy,
                enterprise=enterprise,
                exempt=True,
                state=State.APPROVED,
                submitted=clock.now(),
            )
            created.append(
                _event(application, actor, "grant", State.APPROVED, payload={"policy": policy.code})
            )
        events.send("policies", created, actor)
    return [event.application for event in created]


def request_info(application, *, actor, note: str, expected_version=None):
    note = _required(note, _("Say what information is needed."))
    with transition(application, "request_info", actor, expected_version=expected_version) as ch:
        ch.note = note
    return application


def resubmit(application, *, actor, note: str = "", files=(), expected_version=None):
    checked = _checked(files)
    with transaction.atomic():
        with transition(application, "resubmit", actor, expected_version=expected_version) as ch:
            ch.note = note
            ch.set(review_deadline=review_deadline(clock.today(), ch.obj.policy))
        _store(application, ch.event, checked)
    return application


def add_materials(application, *, actor, files, note: str = "", expected_version=None):
    """The applicant adds materials while the application waits for review (or for the
    information asked); the reviewers hear of it."""
    checked = _checked(files)
    if not checked:
        raise InvalidInput(_("Choose at least one file."), fields={"files": [_("Required.")]})
    with transaction.atomic():
        with transition(
            application, "add_materials", actor, expected_version=expected_version
        ) as ch:
            ch.note = note
        _store(application, ch.event, checked)
    return application


def approve(application, *, actor, note: str = "", expected_version=None):
    with transition(application, "approve", actor, expected_version=expected_version) as ch:
        ch.note = note
    return application


def refuse(application, *, actor, reason: str, expected_version=None):
    reason = _required(reason, _("Give the reason for refusing."))
    with transition(application, "refuse", actor, expected_version=expected_version) as ch:
        ch.note = reason
        ch.set(reason=reason)
    return application


def pay(application, *, actor, amount_wan_yuan: Decimal, paid_on: date, expected_version=None):
    if amount_wan_yuan is None or amount_wan_yuan <= 0:
        raise InvalidInput(_("The amount paid must be more than zero."))
    if paid_on > clock.today():
        raise InvalidInput(_("The payment date cannot be in the future."))
    with transition(application, "pay", actor, expected_version=expected_version) as ch:
        ch.set(amount_wan_yuan=amount_wan_yuan, paid_on=paid_on)
        ch.payload = {"amount_wan_yuan": str(amount_wan_yuan), "paid_on": paid_on.isoformat()}
    return application


def withdraw(application, *, actor, expected_version=None):
    with transition(application, "withdraw", actor, expected_version=expected_version):
        pass
    return application


def _required(text, message) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(message)
    return text
