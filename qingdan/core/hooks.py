"""Slots the trunk calls and branches fill, so the trunk never imports a branch.

A branch provides a function for a named slot in its ``AppConfig.ready()``; the trunk asks for
the slot by name and falls back to its own behaviour when no branch filled it. Slots in use:

- ``problems.search(problems, text, *, ranked) -> QuerySet``: the problems of ``problems`` that
  match what a person typed; with ``ranked``, annotated with ``search_rank`` (higher first) for the
  ``relevance`` order of ``qingdan.problems.paging``. Filled by ``qingdan.search``.
- ``challenges.search(challenges, text) -> QuerySet`` and ``projects.search(projects, text)``:
  the rows of the given queryset that match, best first. Filled by ``qingdan.search``.
- ``problems.commissioned(user, problems) -> QuerySet``: the problems of the enterprises ``user``
  is the service commissioner of, which a unit member sees besides their unit's.
  Filled by ``qingdan.enterprises``.
- ``nav.<url name>(user) -> bool``: whether the menu shows that item to ``user`` (an item a
  role may have, but with nothing behind it for this person). Filled by ``qingdan.projects``.
- ``problems.may_raise_for(user, enterprise) -> bool``: whether a person who is neither the
  enterprise's contact nor the secretariat may raise a problem for it (its commissioner, for
  what was raised at a visit). Filled by ``qingdan.enterprises``.
"""

from collections.abc import Callable

_slots: dict[str, Callable] = {}


def provide(name: str, function: Callable) -> None:
    _slots[name] = function


def get(name: str, default: Callable | None = None) -> Callable | None:
    return _slots.get(name, default)
