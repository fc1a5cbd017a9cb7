from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "qingdan.policies"
    verbose_name = _("Policies")

    def ready(self) -> None:
        from qingdan.bulletins import sections
        from qingdan.policies import figures, panels  # noqa: F401  (registers the panels)

        sections.register(
            sections.Section(
                key="policies",
                title=_("Enterprise policies paid"),
                labels={
                    "received": _("Applications received"),
                    "paid": _("Applications paid"),
                    "amount_wan_yuan": _("Amount paid (10,000 yuan)"),
                    "average_days_to_payment": _("Average days from application to payment"),
                },
                build=figures.week,
            )
        )
