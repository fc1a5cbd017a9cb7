from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "qingdan.notifications"
    verbose_name = _("Notifications and reminders")

    def ready(self):
        from qingdan.core import events
        from qingdan.notifications import panels  # noqa: F401  (registers its panels)
        from qingdan.notifications.listeners import on_recorded

        events.recorded.connect(on_recorded, dispatch_uid="qingdan.notifications")
