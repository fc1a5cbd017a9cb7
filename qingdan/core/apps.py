from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "qingdan.core"
    verbose_name = _("Core")

    def ready(self):
        # Third-party apps whose names are plain strings: named in the reader's language.
        from django.apps import apps

        names = {
            "axes": _("Sign-in attempts (lockout)"),
            "django_tasks_database": _("Background tasks"),
        }
        for config in apps.get_app_configs():
            if config.label in names:
                config.verbose_name = names[config.label]
