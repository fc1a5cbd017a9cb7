from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "qingdan.policies"
    verbose_name = _("Policies (惠企政策)")

    def ready(self) -> None:
        from qingdan.policies import panels  # noqa: F401  (registers the panels)
