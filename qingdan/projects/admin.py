from django.contrib import admin

from qingdan.projects.models import (
    AnnualPlan,
    Indicator,
    IndicatorValue,
    MonthlyInvestment,
    Project,
)


class AnnualPlanInline(admin.TabularInline):
    model = AnnualPlan
    extra = 1


class MonthlyInvestmentInline(admin.TabularInline):
    model = MonthlyInvestment
    extra = 1


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    """Projects are entered and updated here (stage dates, plans, monthly investment)."""

    list_display = [
        "name",
        "investor",
        "industry",
        "amount_wan_yuan",
        "is_key",
        "signed_on",
        "producing_on",
    ]
    list_filter = ["is_key", "industry"]
    search_fields = ["name", "investor__name"]
    autocomplete_fields = ["investor", "responsible_unit"]
    raw_id_fields = ["responsible_leader", "problems"]
    inlines = [AnnualPlanInline, MonthlyInvestmentInline]


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 1


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "position"]
    inlines = [IndicatorValueInline]
