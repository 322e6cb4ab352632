from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "kompass.web"
    verbose_name = "Webb"
