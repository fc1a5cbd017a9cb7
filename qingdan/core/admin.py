import json

from django.contrib import admin
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

# The admin speaks as Qingdan, in the reader's language (not "Django 管理").
admin.site.site_header = _("Qingdan administration")
admin.site.site_title = _("Qingdan administration")
admin.site.index_title = _("Reference data and records")


def _json_shown(field):
    """A read-only JSON field as readable, indented JSON (Django shows one escaped line)."""

    def shown(obj):
        value = getattr(obj, field.name)
        if value in (None, "", {}, []):
            return "—"
        text = json.dumps(value, ensure_ascii=False, indent=1, cls=DjangoJSONEncoder)
        return format_html("<pre>{}</pre>", text)

    shown.short_description = field.verbose_name
    shown.__name__ = field.name
    return shown


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that only actions write (event logs, outboxes): the admin shows them, never
    changes them."""

    def get_fields(self, request, obj=None):
        shown = self._json_fields()
        fields = []
        for name in super().get_fields(request, obj):  # JSON fields: their readable display
            field = shown.get(name, name) if isinstance(name, str) else name
            if field not in fields:
                fields.append(field)
        return fields

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self._json_fields().values()]

    def _json_fields(self) -> dict:
        if not hasattr(self, "_json"):
            self._json = {
                f.name: _json_shown(f)
                for f in self.model._meta.concrete_fields
                if isinstance(f, models.JSONField)
            }
        return self._json

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
