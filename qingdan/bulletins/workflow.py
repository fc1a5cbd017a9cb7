"""The bulletin's states and steps, on the shared engine (``core/workflow.py``).

A draft is refreshed (its figures recomputed), edited (its next-step requirements) and published
(numbered, rendered in every format of both editions, frozen) — by the secretariat only. Creating
a week's first draft and starting a correction are creations, like raising a problem: they make
a new row (``actions.generate_draft``, ``actions.correct``). A bulletin's ``version`` is its
correction number, not a concurrency counter: the engine keeps no version of its own here.
"""

from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Role
from qingdan.bulletins.models import Bulletin, BulletinEvent
from qingdan.core.workflow import Change, Workflow, rule
from qingdan.lib import clock

SECRETARIAT = "secretariat"
SYSTEM = "system"  # the Monday job that drafts and refreshes last week's bulletin (no person)
DRAFT, PUBLISHED = Bulletin.State.DRAFT, Bulletin.State.PUBLISHED

RULES = [
    rule("regenerate", DRAFT, None, SECRETARIAT, SYSTEM),
    rule("edit", DRAFT, None, SECRETARIAT),
    rule("publish", DRAFT, PUBLISHED, SECRETARIAT),
]
LABELS = BulletinEvent.ACTION_LABELS


def parties_of(user, bulletin: Bulletin) -> set[str]:
    if user is None:
        return {SYSTEM}
    if user is not None and getattr(user, "role", None) in (Role.SECRETARIAT, Role.ADMIN):
        return {SECRETARIAT}
    return set()


def record(change: Change, from_state: str, to_state: str) -> BulletinEvent:
    return BulletinEvent.objects.create(
        bulletin=change.obj,
        actor=change.actor,
        created=clock.now(),
        action=change.action,
        note=change.note,
        payload=change.payload,
    )


BULLETINS = Workflow(
    domain="bulletins",
    model=Bulletin,
    rules=RULES,
    labels=LABELS,
    parties_of=parties_of,
    record=record,
    state_field="state",
    version_field=None,
    noun=_("this bulletin"),
)
