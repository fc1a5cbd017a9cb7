from django.contrib import admin

from qingdan.bulletins.models import Bulletin, BulletinEvent
from qingdan.core.admin import ReadOnlyAdmin


@admin.register(Bulletin)
class BulletinAdmin(ReadOnlyAdmin):
    """Bulletins change only through their actions (generate, edit, publish, correct)."""

    list_display = ["week_start", "version", "state", "issue_number", "published_at"]
    list_filter = ["state"]


@admin.register(BulletinEvent)
class BulletinEventAdmin(ReadOnlyAdmin):
    list_display = ["created", "bulletin", "action", "actor"]
