"""Units and their people, kept by the secretariat on pages (not in the Django admin). Every
change goes through ``core.records.save`` (a RecordChange with who and when); the pages and the
REST API call the same functions with the same forms. A new person gets no password: they set
one from the mailed reset link (the login page's "forgot your password")."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import KEEPERS, Role, Unit, UnitKind, User
from qingdan.core import records
from qingdan.core.forms import BoundedForm
from qingdan.lib.errors import NotAllowed

# The roles a unit's people may have; the secretariat's own role is the administrator's to give.
UNIT_PEOPLE_ROLES = (Role.UNIT_OFFICER, Role.UNIT_HEAD, Role.LEADER)


def require_keeper(actor: User) -> None:
    if actor.role not in KEEPERS:
        raise NotAllowed(_("Only the secretariat keeps units and their people."))


class UnitForm(BoundedForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    short_name = forms.CharField(label=_("Short name"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    parent = forms.ModelChoiceField(
        label=_("Parent unit"), queryset=Unit.objects.filter(is_active=True), required=False
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, partial=False, **kwargs):
        super().__init__(*args, **kwargs)
        if partial:
            for field in self.fields.values():
                field.required = False


class PersonForm(BoundedForm):
    username = forms.RegexField(
        label=_("User name"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        help_text=_("Letters, digits and @ . + - _ only; used to sign in."),
    )
    name = forms.CharField(label=_("Full name"), max_length=60)
    role = forms.ChoiceField(
        label=_("Role"), choices=[(r.value, r.label) for r in UNIT_PEOPLE_ROLES]
    )
    job_title = forms.CharField(label=_("Job title"), max_length=60, required=False)
    phone = forms.CharField(label=_("Mobile phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    is_active = forms.BooleanField(label=_("May sign in"), required=False, initial=True)

    def __init__(self, *args, person: User | None = None, partial=False, **kwargs):
        super().__init__(*args, **kwargs)
        if person is not None:  # the sign-in name stays
            del self.fields["username"]
        if partial:
            for field in self.fields.values():
                field.required = False


def save_unit(unit: Unit | None, *, actor: User, values: dict) -> Unit:
    require_keeper(actor)
    return records.save(unit or Unit(), actor=actor, values=values)


def save_person(person: User | None, *, actor: User, unit: Unit, values: dict) -> User:
    """Add a person to ``unit`` (``person`` None) or change their name, role, contact details
    or whether they may sign in."""
    require_keeper(actor)
    if person is not None and person.role not in UNIT_PEOPLE_ROLES:
        raise NotAllowed(_("This account is kept by the administrator."))
    if values.get("role", Role.UNIT_OFFICER) not in UNIT_PEOPLE_ROLES:
        raise NotAllowed(_("This account is kept by the administrator."))
    if person is None:
        person = User(unit=unit)
        person.set_unusable_password()  # they choose one through the reset link
    return records.save(
        person, actor=actor, values=values | {"unit": unit}, exclude_checks=["password"]
    )
