"""Third-party parts in the reader's language (issue 16: not one English word on the Chinese UI,
the admin included).

django-axes and django-tasks(-db) ship no Chinese catalogue, and Django's admin writes a few
texts untranslated. Their strings are listed here so ``make messages`` puts them in our
catalogue (which Django reads before any app's); the few texts written without ``gettext`` at
all are replaced at start-up by ``install()``, called from ``CoreConfig.ready``.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

# App names given as plain strings by their packages.
APP_NAMES = {
    "axes": _("Sign-in attempts (lockout)"),
    "django_tasks_database": _("Background tasks"),
}

# django-axes (models and admin).
AXES = [
    gettext_noop("Access Attempt"),
    gettext_noop("Access lock out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Attempt Time"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Expires At"),
    gettext_noop("Failed Logins"),
    gettext_noop("Form Data"),
    gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"),
    gettext_noop("IP Address"),
    gettext_noop("Locked Out"),
    gettext_noop("Logout Time"),
    gettext_noop("Meta Data"),
    gettext_noop("Not set"),
    gettext_noop("POST Data"),
    gettext_noop("Path"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"),
    gettext_noop("Username"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
]

# django-tasks and django-tasks-db (the task results' admin).
TASKS = [
    pgettext_lazy("Task", "Ready"),
    pgettext_lazy("Task", "Running"),
    pgettext_lazy("Task", "Failed"),
    pgettext_lazy("Task", "Successful"),
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("args kwargs"),
    gettext_noop("backend name"),
    gettext_noop("enqueued at"),
    gettext_noop("exception class path"),
    gettext_noop("finished at"),
    gettext_noop("priority"),
    gettext_noop("queue name"),
    gettext_noop("return value"),
    gettext_noop("run after"),
    gettext_noop("started at"),
    gettext_noop("task path"),
    gettext_noop("traceback"),
    gettext_noop("worker id"),
]

# Django's admin: a text its Chinese catalogue lacks (Django 5.2).
DJANGO = [
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
]


def _sign_in_log(record) -> str:
    from qingdan.core.templatetags.fmt import when_text

    return _("%(user)s at %(when)s from %(address)s") % {
        "user": record.username or "—",
        "when": when_text(record.attempt_time),
        "address": record.ip_address or "—",
    }


def install() -> None:
    from django.apps import apps
    from django.contrib.admin.templatetags import admin_list
    from django.templatetags.static import static
    from django.utils.html import format_html
    from django.utils.translation import gettext

    for config in apps.get_app_configs():
        if config.label in APP_NAMES:
            config.verbose_name = APP_NAMES[config.label]

    # django-axes names its records in English with an ISO time ("Access Log for admin @ …").
    if apps.is_installed("axes"):
        from axes import models as axes_models

        for name in ("AccessAttempt", "AccessLog", "AccessFailureLog"):
            getattr(axes_models, name).__str__ = _sign_in_log

    # Django's yes/no icons carry alt="True"/"False", untranslated; the admin's three call
    # sites look the function up here when they render.
    def boolean_icon(value):
        icon = {True: "yes", False: "no", None: "unknown"}[value]
        alt = {True: gettext("Yes"), False: gettext("No"), None: gettext("Unknown")}[value]
        return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), alt)

    admin_list._boolean_icon = boolean_icon
