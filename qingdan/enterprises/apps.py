from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "qingdan.enterprises"
    verbose_name = _("Enterprise records (一企一档)")

    def ready(self) -> None:
        from qingdan.core import hooks

        hooks.provide("problems.commissioned", commissioned_problems)


def commissioned_problems(user, problems):
    """包联: a commissioner sees the problems of the enterprises they are responsible for."""
    return problems.filter(enterprise__profile__commissioner_id=user.pk)
