from django.contrib import admin

from qingdan.challenges.models import Application, Challenge, ChallengeEvent, Milestone
from qingdan.core.admin import ReadOnlyAdmin, ReadOnlyInline


class EventInline(ReadOnlyInline):
    model = ChallengeEvent
    fields = ["created", "action", "from_state", "to_state", "actor", "note", "payload"]
    readonly_fields = fields


class MilestoneInline(ReadOnlyInline):
    model = Milestone
    fields = ["position", "title", "due", "reported_at"]
    readonly_fields = fields


@admin.register(Challenge)
class ChallengeAdmin(ReadOnlyAdmin):
    """Challenges change through their steps (the site and the API): the admin shows them and
    their event log, never edits them."""

    list_display = ["code", "title", "owner_unit", "state", "application_deadline"]
    list_filter = ["state"]
    search_fields = ["code", "title"]
    inlines = [MilestoneInline, EventInline]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["challenge", "team_name", "team_kind", "state", "created"]
    list_filter = ["state", "team_kind"]


@admin.register(ChallengeEvent)
class ChallengeEventAdmin(ReadOnlyAdmin):
    list_display = ["created", "challenge", "action", "from_state", "to_state", "actor"]
    list_filter = ["action"]
