from django.contrib import admin

from qingdan.exchange.models import ExchangeDay, ImportJob


@admin.register(ExchangeDay)
class ExchangeDayAdmin(admin.ModelAdmin):
    list_display = ["date", "chair", "leaders"]
    date_hierarchy = "date"
    filter_horizontal = ["enterprises"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["name", "exchange_day", "state", "rows", "imported", "created"]
    list_filter = ["state"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request):
        return False
