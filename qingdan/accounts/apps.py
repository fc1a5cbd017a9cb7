from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "qingdan.accounts"
    verbose_name = _("Organisations and people")

    def ready(self):
        from django.contrib import admin

        from qingdan.accounts import (
            groups,  # noqa: F401  (connects post_migrate)
            security,  # connects the security log's receivers
        )

        security.connect_admin_log()
        admin.site.add_action(security.logged_delete_selected, "delete_selected")
