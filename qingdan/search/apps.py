from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "qingdan.search"
    verbose_name = _("Search, similar problems and routing")

    def ready(self):
        from qingdan.search import hooks

        hooks.connect()
