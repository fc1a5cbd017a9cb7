from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "qingdan.enterprises"
    verbose_name = _("Enterprise records")

    def ready(self) -> None:
        from qingdan.core import hooks

        hooks.provide("problems.commissioned", commissioned_problems)
        hooks.provide("problems.may_raise_for", is_commissioner)


def commissioned_problems(user, problems):
    """包联: a commissioner sees the problems of the enterprises they are responsible for."""
    return problems.filter(enterprise__profile__commissioner_id=user.pk)


def is_commissioner(user, enterprise) -> bool:
    """包联: the enterprise's commissioner may raise a problem for it (what it said at a visit)."""
    return enterprise.__class__.objects.filter(
        pk=enterprise.pk, profile__commissioner_id=user.pk
    ).exists()
