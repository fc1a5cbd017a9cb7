"""Admin texts that Django 5.2 and the third-party apps ship without a Simplified Chinese
translation. Named here so ``make messages`` keeps them in our catalogue (which Django reads
before its own): the admin shows no English word on the Chinese UI."""

from django.utils.translation import gettext_noop as _

ADMIN_LABELS = [
    # django.contrib.admin 5.2 (visually hidden column headers of the index page)
    _("Model name"),
    _("Add link"),
    _("Change or view list link"),
    # django-axes
    _("access attempts"),
    _("access attempt"),
    _("access failures"),
    _("access failure"),
    _("access logs"),
    _("access log"),
    _("access attempt expirations"),
    _("access attempt expiration"),
    # django-tasks (database backend)
    _("Task Results"),
    _("Task Result"),
]
