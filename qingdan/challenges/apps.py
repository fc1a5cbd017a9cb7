from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    name = "qingdan.challenges"
    verbose_name = _("Challenges")

    def ready(self):
        from qingdan.challenges import panels  # noqa: F401  (panels register themselves)
