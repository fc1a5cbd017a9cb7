"""The transition engine shared by every domain with states (problems, challenges, bulletins, …).

A domain describes itself once, in its own ``workflow.py``, with a ``Workflow``: its model, the
field that holds the state, the optimistic-concurrency field (if any), its rules (state × action
→ new state, who may act, an optional guard), the labels of its actions, how a person stands to
one object (``parties_of``) and how its event row is written (``record``). Every action of the
domain then changes an object the same way, through ``Workflow.transition()``:

1. ``transaction.atomic()`` and ``SELECT … FOR UPDATE`` on the object's row;
2. if the caller saw a version and the row has moved on: ``Conflict``, nothing written;
3. the rule for (state, action): ``NotAllowed`` when there is none, when the person is not one of
   its parties, or when its guard says no (each with a message for the person);
4. the action's own changes (``with … as change:``), which may still refuse (``ActionError``:
   everything rolls back);
5. one event row, the object saved with ``update_fields`` (its state and version are a cache of
   the event log);
6. ``qingdan.core.events.send``: listeners (notifications, the search index…) write their rows in
   the same transaction, and send their messages after commit.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from qingdan.core import events
from qingdan.lib import clock
from qingdan.lib.errors import Conflict, NotAllowed


@dataclass(frozen=True)
class Rule:
    action: str
    source: str
    # The state after the action; None keeps the state, or lets the action choose one
    # (``change.target``, e.g. an acceptance decision).
    target: str | None
    parties: frozenset[str]
    guard: str = ""


def rule(action: str, source: str, target: str | None, *parties: str, guard: str = "") -> Rule:
    return Rule(action, source, target, frozenset(parties), guard)


@dataclass(frozen=True)
class Guard:
    """A condition beyond the state, with the message shown when it does not hold."""

    holds: Callable[[Any], bool]
    message: Any


@dataclass
class Change:
    """What an action changes, filled in inside ``Workflow.transition()``."""

    obj: models.Model
    actor: Any
    action: str
    rule: Rule
    target: str
    note: str = ""
    payload: dict = field(default_factory=dict)
    fields: set[str] = field(default_factory=set)
    files: Iterable = ()
    event: models.Model | None = None

    def set(self, **values) -> None:
        """Change fields of the locked object; they are saved with the event."""
        for name, value in values.items():
            setattr(self.obj, name, value)
        self.fields.update(values)

    def event_values(self, from_state: str, to_state: str) -> dict:
        """The columns every domain's event row has: who, when, which step, from and to which
        state, the note and the payload."""
        return {
            "actor": self.actor,
            "created": clock.now(),
            "action": self.action,
            "from_state": from_state,
            "to_state": to_state,
            "note": self.note,
            "payload": self.payload,
        }


class Workflow:
    def __init__(
        self,
        *,
        domain: str,
        model: type[models.Model],
        rules: list[Rule],
        labels: dict[str, Any],
        parties_of: Callable[[Any, Any], set[str]],
        record: Callable[[Change, str, str], models.Model],
        state_field: str = "status",
        version_field: str | None = "version",
        guards: dict[str, Guard] | None = None,
        noun: Any = None,
    ):
        self.domain = domain
        self.model = model
        self.rules = rules
        self.labels = labels
        self.parties_of = parties_of
        self.record = record
        self.state_field = state_field
        self.version_field = version_field
        self.guards = guards or {}
        self.noun = noun or _("this item")
        self.table: dict[tuple[str, str], Rule] = {}
        for item in rules:
            if (item.source, item.action) in self.table:
                raise ValueError(f"{domain}: two rules for {item.action} from {item.source}")
            if item.guard and item.guard not in self.guards:
                raise ValueError(f"{domain}: rule {item.action} names an unknown guard")
            self.table[(item.source, item.action)] = item

    # --- Questions ---------------------------------------------------------------------------

    @property
    def actions(self) -> list[str]:
        """Every action of the table, in table order, each once."""
        return list(dict.fromkeys(item.action for item in self.rules))

    def label(self, action: str) -> str:
        return str(self.labels.get(action, action))

    def state_of(self, obj) -> str:
        return getattr(obj, self.state_field)

    def state_label(self, obj) -> str:
        return str(getattr(obj, f"get_{self.state_field}_display")())

    def check(self, user, obj, action: str) -> Rule:
        """The rule that lets ``user`` do ``action`` on ``obj`` now, or ``NotAllowed`` (why)."""
        found = self.table.get((self.state_of(obj), action))
        if found is None:
            raise NotAllowed(
                _("“%(action)s” is not possible while %(noun)s is “%(state)s”.")
                % {"action": self.label(action), "noun": self.noun, "state": self.state_label(obj)}
            )
        if not found.parties & self.parties_of(user, obj):
            raise NotAllowed(_("You are not allowed to do this on %(noun)s.") % {"noun": self.noun})
        guard = self.guards.get(found.guard)
        if guard is not None and not guard.holds(obj):
            raise NotAllowed(guard.message)
        return found

    def allowed(self, user, obj) -> list[str]:
        """The actions ``user`` may take on ``obj`` now, in table order, each once."""
        if not getattr(user, "is_authenticated", False):
            return []
        parties = self.parties_of(user, obj)
        state = self.state_of(obj)
        found = []
        for item in self.rules:
            if (
                item.source == state
                and item.parties & parties
                and item.action not in found
                and (not item.guard or self.guards[item.guard].holds(obj))
            ):
                found.append(item.action)
        return found

    # --- The one way to change an object ------------------------------------------------------

    @contextmanager
    def transition(
        self, obj, action: str, actor, *, expected_version: int | None = None
    ) -> Iterator[Change]:
        with transaction.atomic():
            locked = type(obj).objects.select_for_update().get(pk=obj.pk)
            if (
                self.version_field
                and expected_version is not None
                and getattr(locked, self.version_field) != expected_version
            ):
                raise Conflict(
                    _(
                        "%(noun)s was changed by someone else meanwhile. "
                        "Reload the page and try again."
                    )
                    % {"noun": str(self.noun).capitalize()}
                )
            found = self.check(actor, locked, action)
            source = self.state_of(locked)
            change = Change(
                obj=locked, actor=actor, action=action, rule=found, target=found.target or source
            )
            yield change
            change.event = self.record(change, source, change.target)
            change.set(**{self.state_field: change.target})
            if self.version_field:
                change.set(**{self.version_field: getattr(locked, self.version_field) + 1})
            locked.save(update_fields=sorted(change.fields))
            events.send(self.domain, [change.event], actor)
        # The caller's object reflects the change too.
        for name in change.fields:
            setattr(obj, name, getattr(locked, name))
