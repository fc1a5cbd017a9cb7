import ipaddress

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Enterprise, SecurityEvent, Unit, User


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
    # Robot webhooks are https (or allow-listed): a URL typed without a scheme means https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """People. Only a superuser adds, changes or deletes them, sets passwords, roles, staff and
    superuser flags, groups and permissions. Anyone else with the view permission (the
    secretariat) sees a read-only card of contact and organisation fields, nothing more."""

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

    # What a non-superuser may see of a person: no password, flags, groups or permissions.
    limited_fieldsets = [
        (None, {"fields": ["username"]}),
        (_("Person"), {"fields": ["name", "email", "phone", "job_title"]}),
        (_("Organisation and role"), {"fields": ["role", "enterprise", "unit", "is_active"]}),
    ]

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.limited_fieldsets

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return super().get_list_filter(request)
        return ["role", "is_active"]

    def get_form(self, request, obj=None, **kwargs):
        if not request.user.is_superuser:
            # A plain model form of the visible fields only (read-only in the page anyway):
            # never the password hash widget with its link to the password form.
            kwargs["form"] = forms.ModelForm
            kwargs["fields"] = flatten_fieldsets(self.limited_fieldsets)
        return super().get_form(request, obj, **kwargs)


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """The security log: read-only, for the system administrator (superuser) alone."""

    list_display = ["created", "kind", "actor", "username", "address", "subject"]
    list_filter = ["kind", "created"]
    search_fields = ["username", "subject", "user_agent", "actor__name"]
    date_hierarchy = "created"
    readonly_fields = [
        "created",
        "kind",
        "actor",
        "username",
        "address",
        "user_agent",
        "subject",
        "detail",
    ]
    actions = None
    list_per_page = 100

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        address = search_term.strip()
        if address:
            try:
                ipaddress.ip_address(address)
            except ValueError:
                return queryset, duplicates
            queryset |= self.model.objects.filter(address=address)
        return queryset, duplicates

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
