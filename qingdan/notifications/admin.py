from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from qingdan.core.admin import ReadOnlyAdmin
from qingdan.lib import clock
from qingdan.notifications.models import Delivery, Notification, Reminder, Subscription


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created", "recipient", "problem", "challenge", "action", "read_at"]
    list_filter = ["read_at"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """Failed deliveries show here with their error; "send again" requeues them."""

    list_display = [
        "created",
        "channel",
        "recipient",
        "unit",
        "subject",
        "state",
        "attempts",
        "last_error",
    ]
    list_filter = ["state", "channel"]
    search_fields = ["subject", "recipient__username", "unit__name"]
    actions = ["send_again"]

    def has_change_permission(self, request, obj=None):
        return obj is None  # the list (and its action), never the form

    @admin.action(description=_("Send again"))
    def send_again(self, request, queryset):
        count = queryset.exclude(state=Delivery.State.SENT).update(
            state=Delivery.State.PENDING, attempts=0, next_attempt_at=clock.now(), claimed_at=None
        )
        messages.success(request, _("%(n)s messages will be sent again.") % {"n": count})


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["created", "problem", "step", "deadline"]
    list_filter = ["step"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "category", "problem", "created"]
    autocomplete_fields = ["user", "unit"]
    raw_id_fields = ["problem"]
