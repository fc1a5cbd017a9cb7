"""The secretariat's permission group in the admin: the reference data and ledgers it keeps.

Accounts are not among them. Only a superuser (the system administrator) adds or changes people,
roles, groups and permissions: the secretariat may *look people up* (to choose a unit's liaison,
a project's responsible leader), never edit them, so it cannot raise its own rights or take over
an account (docs/SECURITY.md).
"""

from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.dispatch import receiver

SECRETARIAT_GROUP = "营商办 Secretariat"
# app label → models whose rows the secretariat adds and changes in the admin
EDITABLE = {
    "accounts": ["enterprise", "unit"],
    "problems": ["category", "holidayoverride"],
    "projects": ["project", "annualplan", "monthlyinvestment", "indicator", "indicatorvalue"],
    "notifications": ["subscription"],
    "exchange": ["exchangeday"],
}
# app label → models the secretariat may only look at
VIEW_ONLY = {
    "accounts": ["user"],
    "problems": ["weekdayyear"],
}


def secretariat_codenames() -> dict[str, set[str]]:
    """app label → the permission codenames the group holds (and nothing else)."""
    wanted: dict[str, set[str]] = {}
    for app_label, models in EDITABLE.items():
        for model in models:
            wanted.setdefault(app_label, set()).update(
                f"{action}_{model}" for action in ("view", "add", "change")
            )
    for app_label, models in VIEW_ONLY.items():
        wanted.setdefault(app_label, set()).update(f"view_{model}" for model in models)
    return wanted


@receiver(post_migrate)
def ensure_secretariat_group(sender, apps=global_apps, **kwargs) -> None:
    """Runs after every migrate: the group holds exactly those permissions.

    ``set``, not ``add``: a permission granted by an earlier version (add/change on people) or
    by hand is taken away again, so the group never drifts into managing accounts.
    """
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:
        return
    group, _created = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    permissions = []
    for app_label, codenames in secretariat_codenames().items():
        permissions += Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
    group.permissions.set(permissions)
