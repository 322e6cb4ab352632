from django.apps import AppConfig


class BenchmarkConfig(AppConfig):
    name = "kompass.benchmark"
    verbose_name = "Jämförelsevärden"
    default_auto_field = "django.db.models.BigAutoField"
