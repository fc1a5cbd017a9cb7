from django.contrib import admin
from django.utils.translation import gettext_lazy as _

# The admin speaks as Qingdan, in the reader's language (not "Django 管理").
admin.site.site_header = _("Qingdan administration")
admin.site.site_title = _("Qingdan administration")
admin.site.index_title = _("Reference data and records")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that only actions write (event logs, outboxes): the admin shows them, never
    changes them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
