from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from qingdan.core.admin import ReadOnlyAdmin
from qingdan.lib.workdays import known_years
from qingdan.problems.models import (
    Category,
    ExtensionRequest,
    HolidayOverride,
    Problem,
    ProblemEvent,
    ReturnRequest,
    WeekdayYear,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "sign_days",
        "completion_days",
        "urgent_completion_days",
        "default_lead_unit",
        "is_active",
    ]
    list_editable = ["sign_days", "completion_days", "urgent_completion_days", "is_active"]
    search_fields = ["name", "name_en", "code"]


class EventInline(admin.TabularInline):
    model = ProblemEvent
    fields = ["created", "action", "from_status", "to_status", "actor", "note", "payload"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Problem)
class ProblemAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "enterprise", "status", "lead_unit", "deadline"]
    list_filter = ["status", "category", "channel", "urgency"]
    search_fields = ["number", "title", "enterprise__name"]
    list_select_related = ["enterprise", "lead_unit"]
    inlines = [EventInline]


@admin.register(ProblemEvent)
class ProblemEventAdmin(ReadOnlyAdmin):
    list_display = ["created", "problem", "action", "from_status", "to_status", "actor"]
    list_filter = ["action"]
    search_fields = ["problem__number"]
    list_select_related = ["problem", "actor"]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdmin):
    list_display = ["problem", "requested_deadline", "state", "requested_at", "decided_at"]
    list_filter = ["state"]


@admin.register(ReturnRequest)
class ReturnRequestAdmin(ReadOnlyAdmin):
    list_display = ["problem", "unit", "state", "returned_at", "decided_at"]
    list_filter = ["state"]


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "note"]
    date_hierarchy = "date"

    def changelist_view(self, request, extra_context=None):
        years = known_years()
        extra_context = (extra_context or {}) | {
            "title": _(
                "Holiday overrides (the official calendar is built in for %(first)s–%(last)s; "
                "enter later years here)"
            )
            % {"first": years.start, "last": years.stop - 1}
        }
        return super().changelist_view(request, extra_context)


@admin.register(WeekdayYear)
class WeekdayYearAdmin(admin.ModelAdmin):
    """An explicit decision of the system administrator: count a year without a holiday
    schedule Monday to Friday (until the official schedule is entered as overrides)."""

    list_display = ["year", "note", "created"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
