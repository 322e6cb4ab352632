from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "kompass.reports"
    verbose_name = "Rapporter"
