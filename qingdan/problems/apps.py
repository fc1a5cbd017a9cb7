from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProblemsConfig(AppConfig):
    name = "qingdan.problems"
    verbose_name = _("Problems and tasks")

    def ready(self):
        from qingdan.problems import calendar  # noqa: F401  (connects the cache signals)
