from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "qingdan.enterprises"
    verbose_name = _("Enterprise records (一企一档)")
