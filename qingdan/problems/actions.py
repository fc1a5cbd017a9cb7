"""Every change to a problem. Web views, the API and commands call these and nothing else.

Each action runs in a transaction, locks the problem row, checks the expected version (so a
second person acting on a stale page gets "changed by someone else" and writes nothing), checks
the transition table, changes the row, appends one event, and queues notifications on commit.
"""

from collections.abc import Sequence
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Enterprise, Role, Unit, User
from qingdan.core import events, hooks
from qingdan.lib import bounds, clock
from qingdan.lib.errors import InvalidInput, NotAllowed
from qingdan.problems import calendar, workflow
from qingdan.problems.models import (
    Category,
    Channel,
    CloseType,
    ExtensionRequest,
    FollowUpOutcome,
    Instruction,
    Interview,
    Problem,
    ProblemCounter,
    ProblemEvent,
    ProblemLink,
    RequestState,
    ReturnRequest,
    Satisfaction,
    Status,
    Supervision,
    TaskUnit,
    Urgency,
)
from qingdan.problems.supervision import acknowledge_pending
from qingdan.problems.workflow import Change

# Every change to a problem goes through the shared engine with the problems' table.
transition = workflow.PROBLEMS.transition


def _required(text: str, message) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(message)
    return text


def record_related_step(
    problem: Problem, *, actor: User | None, action: str, note: str = "", payload=None
) -> ProblemEvent:
    """A step of something the problem led to (a challenge published from it, its team selected,
    its acceptance decided), shown on the problem's timeline; the problem's state is unchanged."""
    with transaction.atomic():
        event = ProblemEvent.objects.create(
            problem=problem,
            actor=actor,
            created=clock.now(),
            action=action,
            from_status=problem.status,
            to_status=problem.status,
            note=note,
            payload=payload or {},
        )
        events.send("problems", [event], actor)
    return event


def _bounded(name: str, text, max_length: int, missing) -> str:
    """The action's own guard on the shared bounds (whatever channel called it)."""
    if not (text or "").strip():
        raise InvalidInput(missing, fields={name: [str(missing)]})
    try:
        return bounds.clean_text(text, max_length=max_length, one_line=name == "title")
    except ValueError as refused:
        raise InvalidInput(refused, fields={name: [str(refused)]}) from None


# --- Raising ----------------------------------------------------------------------------------


def next_number(year: int) -> str:
    """QD-2026-000123: sequential per year, never reused."""
    return reserve_numbers(year, 1)[0]


def reserve_numbers(year: int, count: int) -> list[str]:
    """``count`` consecutive numbers of ``year``, never reused.

    One atomic UPDATE … RETURNING, outside the caller's transaction when there is none: the
    counter row is locked for that statement only, not while the problems are written, so
    concurrent raises do not queue behind each other. A raise that fails afterwards leaves a
    gap, never a reused number."""
    table = connection.ops.quote_name(ProblemCounter._meta.db_table)
    outer = connection.in_atomic_block
    for _attempt in range(3):
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql" and not outer:
                # No need to wait for this commit's flush: the problem's own (synchronous)
                # commit comes later in the WAL and makes this one durable too.
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            cursor.execute(
                f"UPDATE {table} SET last = last + %s WHERE year = %s RETURNING last",
                [count, year],
            )
            row = cursor.fetchone()
        if row is not None:
            return [f"QD-{year}-{n:06d}" for n in range(row[0] - count + 1, row[0] + 1)]
        try:
            with transaction.atomic():
                ProblemCounter.objects.create(year=year, last=0)
        except IntegrityError:
            pass  # another raise created this year's counter first
    raise RuntimeError("could not number the problems")


def raise_problem(
    *,
    actor: User,
    enterprise: Enterprise,
    title: str,
    description: str,
    category: Category,
    channel: str,
    urgency: str = Urgency.NORMAL,
    may_name_publicly: bool = True,
    files: Sequence[UploadedFile] = (),
    exchange_day=None,
    proposed_lead_unit: Unit | None = None,
) -> Problem:
    """An enterprise contact raises a problem for their enterprise; the secretariat may raise
    one on an enterprise's behalf (e.g. at the exchange day)."""
    if actor.role == Role.ENTERPRISE:
        if actor.enterprise_id != enterprise.pk:
            raise NotAllowed(_("You can only raise problems for your own enterprise."))
    elif actor.role not in (Role.SECRETARIAT, Role.ADMIN) and not (
        # 包联: an enterprise's service commissioner raises what it raised at a visit.
        (raise_for := hooks.get("problems.may_raise_for")) and raise_for(actor, enterprise)
    ):
        raise NotAllowed(_("Only enterprises and the secretariat can raise problems."))
    if channel not in Channel.values or urgency not in Urgency.values:
        raise InvalidInput(_("Choose a channel and an urgency from the lists."))
    if not category.is_active:
        raise InvalidInput(_("This category is no longer in use; choose another."))
    title = _bounded("title", title, bounds.TITLE, _("Give the problem a short title."))
    description = _bounded("description", description, bounds.TEXT, _("Describe the problem."))
    now = clock.now()
    number = next_number(clock.today().year)
    with transaction.atomic():
        problem = Problem.objects.create(
            number=number,
            enterprise=enterprise,
            raised_by=actor,
            title=title,
            description=description,
            category=category,
            channel=channel,
            urgency=urgency,
            may_name_publicly=may_name_publicly,
            exchange_day=exchange_day,
            proposed_lead_unit=proposed_lead_unit,
            created=now,
            status=Status.SUBMITTED,
            version=1,
        )
        event = ProblemEvent.objects.create(
            problem=problem,
            actor=actor,
            created=now,
            action="raise",
            from_status="",
            to_status=Status.SUBMITTED,
            payload={"channel": channel, "urgency": urgency},
        )
        workflow.store_files(problem, event, files, actor)
        events.send("problems", [event], actor)
    problem.raised_event = event  # lets a caller show the timeline without reading it back
    return problem


def raise_many(*, actor: User, rows: Sequence[dict], exchange_day=None) -> list[Problem]:
    """The secretariat raises a list of problems at once (an exchange day's batch, an Excel
    import): one transaction, numbers reserved in one statement, rows written in bulk. Each row
    holds raise_problem's fields (enterprise, title, description, category, channel, urgency,
    may_name_publicly, proposed_lead_unit)."""
    if actor.role not in (Role.SECRETARIAT, Role.ADMIN):
        raise NotAllowed(_("Only enterprises and the secretariat can raise problems."))
    given, rows = rows, []
    for row in given:
        if row["channel"] not in Channel.values or row["urgency"] not in Urgency.values:
            raise InvalidInput(_("Choose a channel and an urgency from the lists."))
        if not row["category"].is_active:
            raise InvalidInput(_("This category is no longer in use; choose another."))
        title = _bounded("title", row["title"], bounds.TITLE, _("Give the problem a short title."))
        description = _bounded(
            "description", row["description"], bounds.TEXT, _("Describe the problem.")
        )
        rows.append(row | {"title": title, "description": description})
    now = clock.now()
    with transaction.atomic():
        numbers = reserve_numbers(clock.today().year, len(rows)) if rows else []
        problems = Problem.objects.bulk_create(
            (
                Problem(
                    number=number,
                    enterprise=row["enterprise"],
                    raised_by=actor,
                    title=row["title"],
                    description=row["description"],
                    category=row["category"],
                    channel=row["channel"],
                    urgency=row["urgency"],
                    may_name_publicly=row.get("may_name_publicly", True),
                    exchange_day=exchange_day,
                    proposed_lead_unit=row.get("proposed_lead_unit"),
                    created=now,
                    status=Status.SUBMITTED,
                    version=1,
                )
                for number, row in zip(numbers, rows, strict=True)
            ),
            batch_size=2000,
        )
        raised = ProblemEvent.objects.bulk_create(
            (
                ProblemEvent(
                    problem=problem,
                    actor=actor,
                    created=now,
                    action="raise",
                    from_status="",
                    to_status=Status.SUBMITTED,
                    payload={"channel": problem.channel, "urgency": problem.urgency},
                )
                for problem in problems
            ),
            batch_size=2000,
        )
        events.send("problems", raised, actor)
    return problems


# --- Intake -----------------------------------------------------------------------------------


def accept(problem: Problem, *, actor: User, note: str = "", expected_version=None) -> Problem:
    with transition(problem, "accept", actor, expected_version=expected_version) as change:
        change.note = note
    return problem


def decline(problem: Problem, *, actor: User, reason: str, expected_version=None) -> Problem:
    reason = _required(reason, _("Say why the problem is declined."))
    with transition(problem, "decline", actor, expected_version=expected_version) as change:
        change.note = reason
        change.set(closed_at=clock.now())
    return problem


def merge(
    problem: Problem, *, actor: User, into: Problem, note: str = "", expected_version=None
) -> Problem:
    if into.pk == problem.pk:
        raise InvalidInput(_("A problem cannot be merged into itself."))
    if into.status in (Status.MERGED, Status.DECLINED):
        raise InvalidInput(
            _("Problem %(number)s is itself merged or declined; merge into an open one.")
            % {"number": into.number}
        )
    with transition(problem, "merge", actor, expected_version=expected_version) as change:
        change.note = note
        change.payload = {"into": into.number}
        change.set(merged_into=into, closed_at=clock.now())
    return problem


def relate(
    problem: Problem, *, actor: User, related: Problem, note: str = "", expected_version=None
) -> Problem:
    """Link two problems as related (alike, not one to merge), shown from either side."""
    if related.pk == problem.pk:
        raise InvalidInput(_("A problem cannot be related to itself."))
    with transaction.atomic():
        with transition(problem, "relate", actor, expected_version=expected_version) as change:
            if ProblemLink.objects.filter(
                problem__in=[change.obj, related], related__in=[change.obj, related]
            ).exists():
                raise InvalidInput(
                    _("Problem %(number)s is already linked to this one.")
                    % {"number": related.number}
                )
            change.note = note
            change.payload = {"related": related.number}
        ProblemLink.objects.create(problem=change.obj, related=related, event=change.event)
    return problem


def default_deadlines(problem: Problem, start: date | None = None) -> tuple[date, date]:
    """Sign-for deadline and completion deadline from the category and urgency, in working days
    counted from ``start`` (today by default)."""
    start = start or clock.today()
    category = problem.category
    return (
        calendar.add_workdays(start, category.sign_days),
        calendar.add_workdays(start, category.completion_limit(problem.urgency)),
    )


def assign(
    problem: Problem,
    *,
    actor: User,
    lead_unit: Unit,
    responsible: User | None = None,
    division: str = "",
    co_units: Sequence[tuple[Unit, str]] = (),
    sign_deadline: date | None = None,
    deadline: date | None = None,
    note: str = "",
    expected_version=None,
) -> Problem:
    """交办 (also 重新交办 after a return): lead unit, co-units with their share, the
    responsible person and working-day deadlines (defaults from the category)."""
    if sign_deadline is None or deadline is None:  # counted only when needed
        default_sign, default_deadline = default_deadlines(problem)
        sign_deadline = sign_deadline or default_sign
        deadline = deadline or default_deadline
    calendar.require_schedule(sign_deadline, deadline)  # no deadline in a year of guesses
    today = clock.today()
    if deadline < today or sign_deadline < today:
        raise InvalidInput(_("Deadlines cannot be in the past."))
    if sign_deadline > deadline:
        raise InvalidInput(_("The sign-for deadline must not be after the completion deadline."))
    if responsible is not None and responsible.unit_id != lead_unit.pk:
        raise InvalidInput(
            _("The responsible person must belong to the lead unit %(unit)s.") % {"unit": lead_unit}
        )
    co_units = [(unit, text) for unit, text in co_units if unit.pk != lead_unit.pk]
    with transition(problem, "assign", actor, expected_version=expected_version) as change:
        locked = change.obj
        if locked.status == Status.RETURNED:
            _decide_pending_return(locked, actor, RequestState.APPROVED, note)
        TaskUnit.objects.filter(problem=locked).delete()
        TaskUnit.objects.create(problem=locked, unit=lead_unit, is_lead=True, division=division)
        TaskUnit.objects.bulk_create(
            TaskUnit(problem=locked, unit=unit, division=text) for unit, text in co_units
        )
        change.note = note
        change.payload = {
            "lead_unit": lead_unit.name,
            "lead_unit_id": lead_unit.pk,
            "co_units": [unit.name for unit, _text in co_units],
            "responsible": str(responsible) if responsible else "",
            "sign_deadline": sign_deadline.isoformat(),
            "deadline": deadline.isoformat(),
        }
        change.set(
            lead_unit=lead_unit,
            responsible=responsible,
            sign_deadline=sign_deadline,
            deadline=deadline,
            assigned_at=clock.now(),
            signed_at=None,
        )
    return problem


# --- The unit ---------------------------------------------------------------------------------


def sign_for(problem: Problem, *, actor: User, note: str = "", expected_version=None) -> Problem:
    with transition(problem, "sign", actor, expected_version=expected_version) as change:
        change.note = note
        on_time = clock.today() <= change.obj.sign_deadline
        change.payload = {"on_time": on_time}
        change.set(signed_at=clock.now())
        if change.obj.responsible_id is None and actor.unit_id == change.obj.lead_unit_id:
            change.set(responsible=actor)
    return problem


def return_task(problem: Problem, *, actor: User, reason: str, expected_version=None) -> Problem:
    reason = _required(reason, _("Say why the task is returned."))
    with transition(problem, "return", actor, expected_version=expected_version) as change:
        ReturnRequest.objects.create(
            problem=change.obj,
            unit=change.obj.lead_unit,
            returned_by=actor,
            returned_at=clock.now(),
            reason=reason,
        )
        change.note = reason
        change.payload = {"unit": change.obj.lead_unit.name}
    return problem


def _decide_pending_return(problem: Problem, actor: User, state: str, note: str) -> None:
    ReturnRequest.objects.filter(problem=problem, state=RequestState.PENDING).update(
        state=state, decided_by=actor, decided_at=clock.now(), decision_note=note
    )


def reject_return(problem: Problem, *, actor: User, reason: str, expected_version=None) -> Problem:
    """The secretariat holds the unit to the task: back to it, with a fresh sign-for limit."""
    reason = _required(reason, _("Say why the return is rejected."))
    with transition(problem, "reject_return", actor, expected_version=expected_version) as change:
        _decide_pending_return(change.obj, actor, RequestState.REFUSED, reason)
        sign_deadline = calendar.add_workdays(clock.today(), change.obj.category.sign_days)
        change.note = reason
        sign_deadline = min(sign_deadline, change.obj.deadline)
        change.payload = {
            "unit": change.obj.lead_unit.name,
            "sign_deadline": sign_deadline.isoformat(),
        }
        change.set(sign_deadline=sign_deadline)
    return problem


def report_progress(
    problem: Problem, *, actor: User, note: str, files=(), expected_version=None
) -> Problem:
    note = _required(note, _("Write what was done."))
    with transition(problem, "progress", actor, expected_version=expected_version) as change:
        change.note = note
        change.files = files
        change.payload = {"unit": actor.unit.name if actor.unit_id else ""}
    return problem


def request_extension(
    problem: Problem, *, actor: User, reason: str, new_deadline: date, expected_version=None
) -> ExtensionRequest:
    reason = _required(reason, _("Say why more time is needed."))
    with transition(
        problem, "request_extension", actor, expected_version=expected_version
    ) as change:
        if new_deadline <= change.obj.deadline:
            raise InvalidInput(
                _("The new deadline must be after the current one (%(deadline)s).")
                % {"deadline": change.obj.deadline.isoformat()}
            )
        extension = ExtensionRequest.objects.create(
            problem=change.obj,
            requested_by=actor,
            requested_at=clock.now(),
            reason=reason,
            old_deadline=change.obj.deadline,
            requested_deadline=new_deadline,
        )
        change.note = reason
        change.payload = {
            "deadline": change.obj.deadline.isoformat(),
            "requested_deadline": new_deadline.isoformat(),
        }
    return extension


def approve_extension(
    problem: Problem,
    *,
    actor: User,
    new_deadline: date | None = None,
    note: str = "",
    expected_version=None,
) -> Problem:
    with transition(
        problem, "approve_extension", actor, expected_version=expected_version
    ) as change:
        extension = change.obj.extensions.get(state=RequestState.PENDING)
        new_deadline = new_deadline or extension.requested_deadline
        if new_deadline <= extension.old_deadline:
            raise InvalidInput(_("The new deadline must be after the current one."))
        calendar.require_schedule(new_deadline)
        extension.state = RequestState.APPROVED
        extension.decided_by = actor
        extension.decided_at = clock.now()
        extension.decision_note = note
        extension.new_deadline = new_deadline
        extension.save(
            update_fields=["state", "decided_by", "decided_at", "decision_note", "new_deadline"]
        )
        change.note = note
        change.payload = {
            "old_deadline": extension.old_deadline.isoformat(),
            "deadline": new_deadline.isoformat(),
        }
        change.set(deadline=new_deadline)
    return problem


def refuse_extension(
    problem: Problem, *, actor: User, reason: str, expected_version=None
) -> Problem:
    reason = _required(reason, _("Say why the extension is refused."))
    with transition(
        problem, "refuse_extension", actor, expected_version=expected_version
    ) as change:
        extension = change.obj.extensions.get(state=RequestState.PENDING)
        extension.state = RequestState.REFUSED
        extension.decided_by = actor
        extension.decided_at = clock.now()
        extension.decision_note = reason
        extension.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        change.note = reason
        change.payload = {"deadline": change.obj.deadline.isoformat()}
    return problem


def complete(
    problem: Problem, *, actor: User, report: str, files=(), expected_version=None
) -> Problem:
    """办结: the lead unit reports the result, with evidence."""
    report = _required(report, _("Write the completion report."))
    with transition(problem, "complete", actor, expected_version=expected_version) as change:
        on_time = clock.today() <= change.obj.deadline
        change.note = report
        change.files = files
        change.payload = {"on_time": on_time, "deadline": change.obj.deadline.isoformat()}
        change.set(resolved_at=clock.now(), satisfaction="")
    return problem


# --- Follow-up and close-out ------------------------------------------------------------------


def rate(
    problem: Problem,
    *,
    actor: User,
    solved: bool,
    satisfaction: str,
    comment: str = "",
    expected_version=None,
) -> Problem:
    """回访: the enterprise (or the secretariat on its behalf) says whether the problem is solved
    and how satisfied it is. Unsolved or unsatisfied sends it back to the unit as a redo."""
    if satisfaction not in Satisfaction.values:
        raise InvalidInput(_("Choose a satisfaction level."))
    redo = not solved or satisfaction == Satisfaction.UNSATISFIED
    if redo:
        comment = _required(comment, _("Say what is still wrong, so the unit can redo it."))
    action = "redo" if redo else "rate"
    with transition(problem, action, actor, expected_version=expected_version) as change:
        change.note = comment
        change.payload = {"solved": solved, "satisfaction": satisfaction}
        change.set(satisfaction=satisfaction)
        if redo:
            _start_redo(change)
    return problem


def _start_redo(change: Change) -> None:
    """Back to the lead unit with a fresh completion limit counted from today."""
    problem = change.obj
    deadline = calendar.add_workdays(
        clock.today(), problem.category.completion_limit(problem.urgency)
    )
    change.payload["deadline"] = deadline.isoformat()
    change.set(redo_count=problem.redo_count + 1, deadline=deadline, resolved_at=None)


def close(
    problem: Problem, *, actor: User, close_type: str, note: str = "", expected_version=None
) -> Problem:
    """销号, typed. Closing as solved needs the enterprise's confirmation first."""
    if close_type not in CloseType.values:
        raise InvalidInput(_("Choose how the problem is closed out."))
    if close_type != CloseType.SOLVED:
        note = _required(note, _("Explain the close-out."))
    with transition(problem, "close", actor, expected_version=expected_version) as change:
        if close_type == CloseType.SOLVED and not change.obj.satisfaction:
            raise InvalidInput(
                _(
                    "Closing as solved needs the enterprise's confirmation: "
                    "record the follow-up first."
                )
            )
        change.note = note
        change.payload = {"close_type": close_type}
        change.set(close_type=close_type, closed_at=clock.now())
    return problem


def reopen(problem: Problem, *, actor: User, reason: str, expected_version=None) -> Problem:
    reason = _required(reason, _("Say why the problem is reopened."))
    with transition(problem, "reopen", actor, expected_version=expected_version) as change:
        change.note = reason
        change.payload = {}
        _start_redo(change)
        change.set(close_type="", closed_at=None)
    return problem


def escalate(problem: Problem, *, note: str = "") -> Problem:
    """The reminder ladder's last step: still overdue after the grace period, the task is
    escalated to the leaders for its current deadline (listed on the overdue board and in the
    bulletin). No person acts: the actor is the system."""
    with transition(problem, "escalate", None) as change:
        deadline = change.obj.deadline
        change.note = note
        change.payload = {"deadline": deadline.isoformat()}
        change.set(escalated_for=deadline)
    return problem


def add_info(
    problem: Problem, *, actor: User, text: str, files=(), expected_version=None
) -> Problem:
    text = _required(text, _("Write the information to add."))
    with transition(problem, "add_info", actor, expected_version=expected_version) as change:
        change.note = text
        change.files = files
    return problem


# --- Supervision of running tasks (催办, 督办, 改派, 领导批示, 约谈) -----------------------------


def urge(problem: Problem, *, actor: User | None, note: str = "", expected_version=None) -> Problem:
    """催办: the secretariat urges the lead unit (its people and its head) with a note. The
    reminder ladder urges too, the working day after the deadline (actor: the system). Each urge
    is counted per task and per lead unit (the event's ``unit_id``)."""
    if actor is not None:
        note = _bounded("note", note, bounds.TEXT, _("Write what the unit is urged to do."))
    with transition(problem, "urge", actor, expected_version=expected_version) as change:
        locked = change.obj
        change.note = note
        change.payload = {
            "unit": locked.lead_unit.name if locked.lead_unit_id else "",
            "unit_id": locked.lead_unit_id,
            "deadline": locked.deadline.isoformat() if locked.deadline else "",
            "count": locked.events.filter(action="urge").count() + 1,
            "automatic": actor is None,
        }
    return problem


def supervise(
    problem: Problem,
    *,
    actor: User,
    reply_due: date,
    demand: str,
    expected_version=None,
) -> Supervision:
    """督办: open a formal supervision of the task with the date the unit must reply by."""
    demand = _bounded("demand", demand, bounds.TEXT, _("Say what the unit must do and report."))
    if reply_due < clock.today():
        raise InvalidInput(
            _("The reply date cannot be in the past."),
            fields={"reply_due": [str(_("The reply date cannot be in the past."))]},
        )
    with transition(problem, "supervise", actor, expected_version=expected_version) as change:
        locked = change.obj
        supervision = Supervision.objects.create(
            problem=locked,
            unit=locked.lead_unit,
            opened_by=actor,
            opened_at=clock.now(),
            reply_due=reply_due,
            demand=demand,
        )
        change.note = demand
        change.payload = {
            "supervision_id": supervision.pk,
            "unit": locked.lead_unit.name,
            "unit_id": locked.lead_unit_id,
            "reply_due": reply_due.isoformat(),
            "opened_by_id": actor.pk,
        }
    return supervision


def reply_to_supervision(
    problem: Problem, *, actor: User, reply: str, files=(), expected_version=None
) -> Supervision:
    """督办回复: the lead unit answers the open supervision."""
    reply = _bounded("reply", reply, bounds.TEXT, _("Write the reply to the supervision."))
    with transition(
        problem, "supervision_reply", actor, expected_version=expected_version
    ) as change:
        supervision = change.obj.supervisions.select_for_update().get(state=Supervision.State.OPEN)
        now = clock.now()
        supervision.state = Supervision.State.REPLIED
        supervision.reply = reply
        supervision.replied_by = actor
        supervision.replied_at = now
        supervision.save(update_fields=["state", "reply", "replied_by", "replied_at"])
        change.note = reply
        change.files = files
        change.payload = {
            "supervision_id": supervision.pk,
            "reply_due": supervision.reply_due.isoformat(),
            "on_time": clock.today() <= supervision.reply_due,
            "opened_by_id": supervision.opened_by_id,
        }
    return supervision


def close_supervision(
    problem: Problem, *, actor: User, note: str = "", expected_version=None
) -> Supervision:
    """The secretariat or a leader closes a replied supervision (never one without a reply)."""
    with transition(
        problem, "close_supervision", actor, expected_version=expected_version
    ) as change:
        supervision = change.obj.supervisions.select_for_update().get(
            state=Supervision.State.REPLIED
        )
        supervision.state = Supervision.State.CLOSED
        supervision.closed_by = actor
        supervision.closed_at = clock.now()
        supervision.closing_note = note
        supervision.save(update_fields=["state", "closed_by", "closed_at", "closing_note"])
        change.note = note
        change.payload = {"supervision_id": supervision.pk}
    return supervision


def reassign(
    problem: Problem,
    *,
    actor: User,
    lead_unit: Unit,
    reason: str,
    keep_deadline: bool = True,
    responsible: User | None = None,
    division: str = "",
    expected_version=None,
) -> Problem:
    """改派: move a running task to another lead unit, with a reason. The completion deadline
    stays, or is reset to the category's limit counted from today; the new unit signs for it.
    The event records which unit held the task from when to when, so the figures charge the
    time to the unit that had it."""
    reason = _bounded("reason", reason, bounds.TEXT, _("Say why the task is reassigned."))
    if responsible is not None and responsible.unit_id != lead_unit.pk:
        raise InvalidInput(
            _("The responsible person must belong to the lead unit %(unit)s.") % {"unit": lead_unit}
        )
    with transition(problem, "reassign", actor, expected_version=expected_version) as change:
        locked = change.obj
        if lead_unit.pk == locked.lead_unit_id:
            raise InvalidInput(
                _("The task is already with %(unit)s: choose another unit.") % {"unit": lead_unit},
                fields={"lead_unit": [str(_("Choose another unit."))]},
            )
        previous = locked.lead_unit
        today = clock.today()
        if keep_deadline:
            deadline = locked.deadline
        else:
            deadline = calendar.add_workdays(
                today, locked.category.completion_limit(locked.urgency)
            )
        sign_deadline = min(calendar.add_workdays(today, locked.category.sign_days), deadline)
        calendar.require_schedule(sign_deadline, deadline)
        now = clock.now()
        TaskUnit.objects.filter(problem=locked, is_lead=True).delete()
        TaskUnit.objects.filter(problem=locked, unit=lead_unit).delete()
        TaskUnit.objects.create(problem=locked, unit=lead_unit, is_lead=True, division=division)
        # An open supervision follows the task: the new lead unit answers it.
        locked.supervisions.exclude(state=Supervision.State.CLOSED).update(unit=lead_unit)
        change.note = reason
        change.payload = {
            "from_unit": previous.name,
            "from_unit_id": previous.pk,
            "held_from": locked.assigned_at.isoformat() if locked.assigned_at else "",
            "held_until": now.isoformat(),
            "lead_unit": lead_unit.name,
            "lead_unit_id": lead_unit.pk,
            "deadline_kept": bool(keep_deadline),
            "old_deadline": locked.deadline.isoformat() if locked.deadline else "",
            "deadline": deadline.isoformat(),
            "sign_deadline": sign_deadline.isoformat(),
        }
        change.set(
            lead_unit=lead_unit,
            responsible=responsible,
            sign_deadline=sign_deadline,
            deadline=deadline,
            assigned_at=now,
            signed_at=None,
            escalated_for=None,
        )
    return problem


def instruct(problem: Problem, *, actor: User, text: str, expected_version=None) -> Instruction:
    """领导批示: a leader's instruction, shown on top of the task until the unit acknowledges."""
    text = _bounded("text", text, bounds.TEXT, _("Write the instruction."))
    with transition(problem, "instruct", actor, expected_version=expected_version) as change:
        instruction = Instruction.objects.create(
            problem=change.obj, leader=actor, created=clock.now(), text=text
        )
        change.note = text
        change.payload = {"instruction_id": instruction.pk, "leader_ids": [actor.pk]}
    return instruction


def acknowledge_instruction(
    problem: Problem, *, actor: User, note: str, expected_version=None
) -> list[Instruction]:
    """The lead unit acknowledges the instructions waiting on the task, saying how it follows
    them up."""
    note = _bounded("note", note, bounds.TEXT, _("Say how the instruction is followed up."))
    with transition(
        problem, "acknowledge_instruction", actor, expected_version=expected_version
    ) as change:
        pending = acknowledge_pending(change, note)
    return pending


def record_interview(
    *,
    actor: User,
    unit: Unit,
    held_on: date,
    participants: str,
    outcome: str,
    problems: Sequence[Problem] = (),
) -> Interview:
    """约谈: the secretariat records an interview of a unit (date, participants, outcome) and
    the tasks it concerned; each of them shows it on its timeline."""
    if actor.role not in (Role.SECRETARIAT, Role.ADMIN):
        raise NotAllowed(_("Only the secretariat records interviews."))
    participants = _bounded("participants", participants, bounds.TEXT, _("Name who took part."))
    outcome = _bounded("outcome", outcome, bounds.TEXT, _("Write the outcome."))
    if held_on > clock.today():
        raise InvalidInput(
            _("An interview is recorded once held: the date cannot be in the future."),
            fields={"held_on": [str(_("The date cannot be in the future."))]},
        )
    for problem in problems:
        concerned = (
            problem.lead_unit_id == unit.pk
            or problem.task_units.filter(unit=unit).exists()
            or ProblemEvent.objects.filter(
                problem=problem, action="reassign", payload__from_unit_id=unit.pk
            ).exists()
        )
        if not concerned:
            raise InvalidInput(
                _("Problem %(number)s is not a task of %(unit)s.")
                % {"number": problem.number, "unit": unit},
                fields={"problems": [problem.number]},
            )
    with transaction.atomic():
        interview = Interview.objects.create(
            unit=unit,
            held_on=held_on,
            participants=participants,
            outcome=outcome,
            recorded_by=actor,
            created=clock.now(),
        )
        interview.problems.set(problems)
        for problem in problems:
            with transition(problem, "interview", actor) as change:
                change.note = outcome
                change.payload = {
                    "interview_id": interview.pk,
                    "unit": unit.name,
                    "unit_id": unit.pk,
                    "held_on": held_on.isoformat(),
                }
    return interview


def follow_up(
    problem: Problem,
    *,
    actor: User,
    person_called: str,
    called_at,
    outcome: str,
    note: str = "",
    expected_version=None,
) -> Problem:
    """回访: the secretariat's phone call to the enterprise, recorded as its own step (who was
    called, when, what they said). It changes no state; an unsatisfied answer is for the
    secretariat to act on (send back for redo, or not close out)."""
    person_called = _bounded(
        "person_called", person_called, bounds.NAME, _("Write whom you called.")
    )
    if outcome not in FollowUpOutcome.values:
        raise InvalidInput(_("Choose what the call found."), fields={"outcome": ["invalid"]})
    if called_at is None or called_at > clock.now():
        raise InvalidInput(
            _("The call's time cannot be in the future."), fields={"called_at": ["invalid"]}
        )
    with transition(problem, "follow_up", actor, expected_version=expected_version) as change:
        change.note = (note or "").strip()
        change.payload = {
            "person_called": person_called,
            "called_at": timezone.localtime(called_at).isoformat(timespec="minutes"),
            "outcome": outcome,
        }
    return problem
