"""Every change to an enterprise record, through ``core.records.save`` (a RecordChange row for
each: who, when, each field before and after). Only the secretariat keeps records; a visit is
recorded by the enterprise's commissioner or the secretariat."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from qingdan.accounts.models import Enterprise, User, may_keep
from qingdan.core import records
from qingdan.enterprises.models import Contact, EnterpriseProfile, Visit, VisitItem, YearlyFigures
from qingdan.lib import bounds, clock
from qingdan.lib.errors import InvalidInput, NotAllowed
from qingdan.problems import actions as problem_actions

ENTERPRISE_FIELDS = ("name", "address", "zone", "phone", "industry")
PROFILE_FIELDS = (
    "industry_code",
    "size_class",
    "registered_capital_wan_yuan",
    "tags",
    "grade",
    "commissioner",
)
FIGURE_FIELDS = ("output_wan_yuan", "tax_wan_yuan", "rd_wan_yuan", "employees", "land_mu")


def _keeper(actor: User) -> None:
    if not may_keep(actor):
        raise NotAllowed(_("Only the secretariat keeps enterprise records."))


def profile_of(enterprise: Enterprise) -> EnterpriseProfile:
    """The enterprise's record (an empty one, unsaved, if none was kept yet)."""
    try:
        return enterprise.profile
    except EnterpriseProfile.DoesNotExist:
        return EnterpriseProfile(enterprise=enterprise)


def save_record(enterprise: Enterprise, *, actor: User, values: dict) -> EnterpriseProfile:
    """Change the enterprise's basic facts and its record at once (or nothing)."""
    _keeper(actor)
    with transaction.atomic():
        basic = {k: values[k] for k in ENTERPRISE_FIELDS if k in values}
        if basic:
            records.save(enterprise, actor=actor, values=basic)
            enterprise.refresh_from_db()
        profile = profile_of(enterprise)
        profile.enterprise = enterprise
        return records.save(
            profile, actor=actor, values={k: values[k] for k in PROFILE_FIELDS if k in values}
        )


def create_enterprise(*, actor: User, values: dict) -> Enterprise:
    _keeper(actor)
    with transaction.atomic():
        enterprise = records.save(
            Enterprise(),
            actor=actor,
            values={k: values[k] for k in ("credit_code", *ENTERPRISE_FIELDS) if k in values},
        )
        save_record(enterprise, actor=actor, values=values)
    return enterprise


def save_contact(enterprise: Enterprise, *, actor: User, values: dict, contact=None) -> Contact:
    _keeper(actor)
    if contact is not None and contact.enterprise_id != enterprise.pk:
        raise NotAllowed(_("This contact belongs to another enterprise."))
    return records.save(contact or Contact(enterprise=enterprise), actor=actor, values=values)


def save_figures(enterprise: Enterprise, *, actor: User, year: int, values: dict) -> YearlyFigures:
    _keeper(actor)
    row = YearlyFigures.objects.filter(enterprise=enterprise, year=year).first()
    row = row or YearlyFigures(enterprise=enterprise, year=year)
    return records.save(row, actor=actor, values={k: values[k] for k in FIGURE_FIELDS})


# --- Commissioners and visits --------------------------------------------------------------


def may_visit(actor: User, enterprise: Enterprise) -> bool:
    profile = profile_of(enterprise)
    return may_keep(actor) or (profile.pk is not None and profile.commissioner_id == actor.pk)


def record_visit(
    enterprise: Enterprise, *, actor: User, day: date, notes: str = "", items: list[str] = ()
) -> Visit:
    if not may_visit(actor, enterprise):
        raise NotAllowed(_("Only the enterprise's commissioner or the secretariat records visits."))
    try:
        bounds.clean_date(day)
        notes = bounds.clean_text(notes, required=False)
        items = [bounds.clean_text(i, max_length=bounds.TITLE, one_line=True) for i in items if i]
    except ValueError as invalid:
        raise InvalidInput(str(invalid)) from None
    with transaction.atomic():
        visit = records.save(
            Visit(enterprise=enterprise, visitor=actor, created=clock.now()),
            actor=actor,
            values={"day": day, "notes": notes},
        )
        for text in items:
            records.save(VisitItem(visit=visit), actor=actor, values={"text": text})
    return visit


def raise_from_visit(item: VisitItem, *, actor: User, category, description: str = ""):
    """One step: the item raised at a visit becomes a problem of the enterprise (through the
    problems' own raise action and its rules), linked to the item."""
    with transaction.atomic():
        item = (
            VisitItem.objects.select_for_update()
            .select_related("visit__enterprise")
            .get(pk=item.pk)
        )
        if item.problem_id:
            raise InvalidInput(_("This item is a problem already."))
        if not may_visit(actor, item.visit.enterprise):
            raise NotAllowed(_("Only the enterprise's commissioner or the secretariat may."))
        problem = problem_actions.raise_problem(
            actor=actor,
            enterprise=item.visit.enterprise,
            title=item.text,
            description=description
            or _("Raised at the visit of %(day)s: %(text)s")
            % {"day": item.visit.day, "text": item.text},
            category=category,
            channel="visit",
        )
        records.save(item, actor=actor, values={"problem": problem})
    return problem


def delete_contact(contact: Contact, *, actor: User) -> None:
    _keeper(actor)
    records.delete(contact, actor=actor, fields=["name", "phone"])
