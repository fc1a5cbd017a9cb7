"""Read-only in the admin: every change to the carriers goes through their pages, the API or the
Excel import (``actions.py``), so that each one is recorded."""

from django.contrib import admin

from qingdan.carriers.models import (
    AlertReminder,
    Building,
    CleanupStep,
    LandParcel,
    Lease,
    SitePlan,
    SpaceRequest,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Building)
class BuildingAdmin(ReadOnly):
    list_display = ["code", "name", "park_area", "state", "floors", "floor_area_m2"]
    list_filter = ["state", "park_area"]
    search_fields = ["code", "name"]


@admin.register(LandParcel)
class LandParcelAdmin(ReadOnly):
    list_display = ["code", "name", "park_area", "state", "area_mu", "supply_mode"]
    list_filter = ["state", "supply_mode"]
    search_fields = ["code", "name"]


@admin.register(Lease)
class LeaseAdmin(ReadOnly):
    list_display = ["building", "enterprise", "project", "area_m2", "starts_on", "ends_on"]


for model in (CleanupStep, SpaceRequest, SitePlan, AlertReminder):
    admin.site.register(model, ReadOnly)
