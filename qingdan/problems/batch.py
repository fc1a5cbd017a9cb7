"""Batch work on a list: the same action on many selected problems, one transaction per row
(a row is done entirely or not at all), and a summary of what was done and what was refused,
with each refusal's reason. Each row runs the very action a single problem's page runs."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from qingdan.lib.errors import ActionError, InvalidInput
from qingdan.problems import actions
from qingdan.problems.models import Problem

# The batch actions and the problem actions each row runs (in one transaction).
BATCH_ACTIONS = {
    "accept": _("Accept"),
    "assign": _("Assign"),
    "accept_assign": _("Accept and assign"),
    "sign": _("Sign for"),
    "urge": _("Urge"),
}
MAX_ROWS = 500


@dataclass
class Summary:
    action: str
    done: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def _assign_kwargs(values: dict) -> dict:
    if values.get("lead_unit") is None:
        raise InvalidInput(_("Choose the lead unit."), fields={"lead_unit": [str(_("Required."))]})
    return {
        "lead_unit": values["lead_unit"],
        "sign_deadline": values.get("sign_deadline"),
        "deadline": values.get("deadline"),
        "division": values.get("division", ""),
        "note": values.get("note", ""),
    }


def _one(problem: Problem, action: str, actor, values: dict) -> None:
    note = values.get("note", "")
    if action == "accept":
        actions.accept(problem, actor=actor, note=note)
    elif action == "assign":
        actions.assign(problem, actor=actor, **_assign_kwargs(values))
    elif action == "accept_assign":
        actions.accept(problem, actor=actor, note=note)
        actions.assign(problem, actor=actor, **_assign_kwargs(values))
    elif action == "sign":
        actions.sign_for(problem, actor=actor, note=note)
    elif action == "urge":
        actions.urge(problem, actor=actor, note=note)
    else:
        raise InvalidInput(_("Choose an action from the list."))


def run(actor, action: str, problems, **values) -> Summary:
    """Run ``action`` on each of ``problems`` (already fetched through ``visible_problems``)."""
    if action not in BATCH_ACTIONS:
        raise InvalidInput(_("Choose an action from the list."))
    if action in ("assign", "accept_assign"):
        _assign_kwargs(values)  # the shared input is checked once, before any row
    problems = list(problems)
    if not problems:
        raise InvalidInput(_("Select at least one problem."))
    if len(problems) > MAX_ROWS:
        raise InvalidInput(
            _("At most %(n)s problems at once.") % {"n": MAX_ROWS},
        )
    summary = Summary(action=action)
    for problem in problems:
        try:
            with transaction.atomic():
                _one(problem, action, actor, values)
        except ActionError as refused:
            summary.refused.append((problem.number, str(refused.message)))
        else:
            summary.done.append(problem.number)
    return summary
