from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "qingdan.web"
    verbose_name = "Home and navigation"
