from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "qingdan.finance"
    verbose_name = _("Financing support")

    def ready(self) -> None:
        from qingdan.finance import panels  # noqa: F401  (registers the panels)
