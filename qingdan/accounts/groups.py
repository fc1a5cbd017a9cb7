"""The secretariat's permission group in the admin: the reference data and ledgers it keeps."""

from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.dispatch import receiver

SECRETARIAT_GROUP = "营商办 Secretariat"
# app label → models whose rows the secretariat adds and changes in the admin
EDITABLE = {
    "accounts": ["enterprise", "unit", "user"],
    "problems": ["category", "holidayoverride"],
    "projects": ["project", "annualplan", "monthlyinvestment", "indicator", "indicatorvalue"],
    "notifications": ["subscription"],
    "exchange": ["exchangeday"],
}


@receiver(post_migrate)
def ensure_secretariat_group(sender, apps=global_apps, **kwargs) -> None:
    """Runs after every migrate: the group exists with view/add/change on those models."""
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:
        return
    group, _created = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    codenames = [
        f"{action}_{model}"
        for models in EDITABLE.values()
        for model in models
        for action in ("view", "add", "change")
    ]
    permissions = Permission.objects.filter(
        content_type__app_label__in=list(EDITABLE), codename__in=codenames
    )
    group.permissions.add(*permissions)
