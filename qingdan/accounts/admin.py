from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Enterprise, Unit, User


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "industry", "zone", "is_above_scale", "is_high_tech"]
    list_filter = [
        "industry",
        "is_above_scale",
        "is_high_tech",
        "is_little_giant",
        "is_listed",
        "is_fortune500_investment",
    ]
    search_fields = ["name", "credit_code"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "liaison", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent", "liaison"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "name", "role", "enterprise", "unit", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["username", "name", "email", "phone"]
    autocomplete_fields = ["enterprise", "unit"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["name", "email", "phone", "job_title", "language"]}),
        (_("Organisation and role"), {"fields": ["role", "enterprise", "unit"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "name",
                    "role",
                    "enterprise",
                    "unit",
                    "password1",
                    "password2",
                ],
            },
        )
    ]
