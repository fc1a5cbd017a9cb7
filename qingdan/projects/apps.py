from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "qingdan.projects"
    verbose_name = _("Projects and indicators")

    def ready(self):
        from qingdan.core import hooks
        from qingdan.projects.access import visible_projects

        # The Projects menu only for those with a project to see (an investor enterprise).
        hooks.provide("nav.projects:list", lambda user: visible_projects(user).exists())
