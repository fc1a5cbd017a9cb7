from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CarriersConfig(AppConfig):
    name = "qingdan.carriers"
    verbose_name = _("Factories and land")

    def ready(self):
        from qingdan.carriers import panels  # noqa: F401  (panels register themselves)
