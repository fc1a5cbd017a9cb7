from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "qingdan.core"
    verbose_name = _("Core")

    def ready(self):
        from qingdan.core import vendor

        vendor.install()  # third-party parts in the reader's language
