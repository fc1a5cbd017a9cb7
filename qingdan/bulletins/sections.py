"""Sections other domains add to the weekly bulletin, without the bulletin naming them.

A domain registers a section in its ``AppConfig.ready()``: a key, a title and a builder
``(week_start, week_end) -> list[(label, value)]``, its figures for the week. The figures are
computed when the draft is generated and frozen with it (``content["sections"]``), like every
other figure; the labels are the domain's and are translated when a file is rendered.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Section:
    key: str
    title: str  # lazily translated
    labels: dict  # figure key -> lazily translated label
    build: Callable[[date, date], dict]  # figure key -> value


_sections: dict[str, Section] = {}


def register(section: Section) -> None:
    _sections[section.key] = section


def _plain(value):
    """Frozen as JSON: decimals as text (exact), numbers as numbers, nothing as None."""
    if isinstance(value, Decimal):
        return str(value)
    return value


def build(week_start: date, week_end: date) -> list[dict]:
    """Every registered section's figures for the week, in registration order."""
    return [
        {"key": s.key, "figures": {k: _plain(v) for k, v in s.build(week_start, week_end).items()}}
        for s in _sections.values()
    ]


def shown(content: dict) -> list[dict]:
    """The content's frozen sections with their title and labelled rows, in the active
    language: ``[{"key", "title", "rows": [(label, value)]}]``. A section whose domain is no
    longer installed keeps its figures under their keys."""
    out = []
    for frozen in content.get("sections", []):
        section = _sections.get(frozen["key"])
        labels = section.labels if section else {}
        rows = [
            (str(labels.get(key, key)), "—" if value is None else value)
            for key, value in frozen["figures"].items()
        ]
        out.append(
            {
                "key": frozen["key"],
                "title": str(section.title if section else frozen["key"]),
                "rows": rows,
            }
        )
    return out
