from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "qingdan.accounts"
    verbose_name = _("Organisations and people")

    def ready(self):
        from qingdan.accounts import groups  # noqa: F401  (connects post_migrate)
