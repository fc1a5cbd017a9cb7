"""The input of raising a problem, defined once for every channel.

The web form, the REST API, Open311 and the Excel import are thin adapters: they translate what
they receive into a dict of texts, call ``clean_raise()``, and translate its errors back (a form
error, ``{"error": {"fields"}}``, an Open311 error, a row and column of the spreadsheet). The same
bounds (``qingdan.lib.bounds``), the same way of finding the enterprise, the category and the
proposed lead unit, the same messages. Pure Python over prefetched lookups, so an import checks
100 000 rows in well under a second.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from qingdan.accounts.models import Enterprise, Role, Unit, User
from qingdan.lib import bounds
from qingdan.lib.creditcode import normalize
from qingdan.problems.models import Category, Channel, Urgency


class Lookups:
    """Enterprises, categories and units for many inputs with few queries."""

    def __init__(self, enterprise_texts=()):
        texts = {text.strip() for text in enterprise_texts if text and text.strip()}
        codes = {normalize(text) for text in texts}
        self.enterprises: dict[str, Enterprise] = {}
        if texts:
            found = Enterprise.objects.filter(Q(name__in=texts) | Q(credit_code__in=codes))
            for enterprise in found:
                self.enterprises[enterprise.name] = enterprise
                self.enterprises[enterprise.credit_code] = enterprise
        active = list(Category.objects.filter(is_active=True))
        self.categories = {c.name: c for c in active} | {c.name_en: c for c in active if c.name_en}
        self.categories |= {c.code: c for c in active}
        self.category_names = "、".join(c.name for c in active)
        self._units: dict[str, Unit] | None = None

    def enterprise(self, text: str) -> Enterprise:
        """The exact full name or credit code; else a part of a name that only one registered
        enterprise has. A problem is never filed under a guess among several."""
        text = text.strip()
        found = self.enterprises.get(text) or self.enterprises.get(normalize(text))
        if found is not None:
            return found
        exact = Enterprise.objects.filter(Q(name=text) | Q(credit_code=normalize(text))).first()
        if exact is not None:
            return exact
        partial = list(Enterprise.objects.filter(name__contains=text)[:4]) if text else []
        if not partial:
            raise ValueError(_("No registered enterprise has this name or credit code."))
        if len(partial) > 1:
            raise ValueError(
                _("Several enterprises match (%(names)s…): give the full name or the credit code.")
                % {"names": "、".join(e.name for e in partial[:3])}
            )
        return partial[0]

    def category(self, text: str) -> Category:
        found = self.categories.get(text.strip())
        if found is None:
            raise ValueError(
                _("Not a category in use: use one of %(names)s.") % {"names": self.category_names}
            )
        return found

    def unit(self, text: str) -> Unit:
        if self._units is None:
            units = Unit.objects.filter(is_active=True)
            self._units = {u.short_name: u for u in units if u.short_name}
            self._units |= {u.name: u for u in units}
        found = self._units.get(text.strip())
        if found is None:
            raise ValueError(_("No unit has this name."))
        return found


@dataclass
class RaiseInput:
    enterprise: Enterprise
    title: str
    description: str
    category: Category
    channel: str
    urgency: str
    may_name_publicly: bool
    proposed_lead_unit: Unit | None = None

    def as_kwargs(self) -> dict:
        return dict(self.__dict__)


def clean_raise(
    raw: dict, *, actor: User, lookups: Lookups | None = None
) -> tuple[RaiseInput | None, dict[str, str]]:
    """``raw``: texts (or booleans) keyed enterprise, title, description, category, channel,
    urgency, may_name_publicly, proposed_lead_unit. Returns (input, {}) or (None, field errors).
    An enterprise contact always raises for their own enterprise."""
    lookups = lookups or Lookups([raw.get("enterprise") or ""])
    errors: dict[str, str] = {}
    values: dict = {}

    def check(name, clean):
        try:
            values[name] = clean()
        except ValueError as refused:
            errors[name] = str(refused)

    if actor.role == Role.ENTERPRISE:
        values["enterprise"] = actor.enterprise
    else:
        check(
            "enterprise",
            lambda: lookups.enterprise(
                bounds.clean_text(raw.get("enterprise"), max_length=bounds.NAME, one_line=True)
            ),
        )
    check(
        "title", lambda: bounds.clean_text(raw.get("title"), max_length=bounds.TITLE, one_line=True)
    )
    check("description", lambda: bounds.clean_text(raw.get("description")))
    check(
        "category",
        lambda: lookups.category(
            bounds.clean_text(raw.get("category"), max_length=bounds.CODE * 2)
        ),
    )
    check("channel", lambda: _choice(raw.get("channel") or Channel.ONLINE, Channel))
    check("urgency", lambda: _choice(raw.get("urgency") or Urgency.NORMAL, Urgency))
    values["may_name_publicly"] = _boolean(raw.get("may_name_publicly", True))
    unit_text = str(raw.get("proposed_lead_unit") or "").strip()
    values["proposed_lead_unit"] = None
    if unit_text:
        check("proposed_lead_unit", lambda: lookups.unit(unit_text))
    if errors:
        return None, errors
    return RaiseInput(**values), {}


def _choice(value, choices) -> str:
    text = str(value).strip()
    if text not in choices.values:
        labels = "、".join(str(label) for label in choices.labels)
        raise ValueError(_("Choose one of: %(choices)s.") % {"choices": labels})
    return text


def _boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() not in ("0", "false", "no", "off", "否")
