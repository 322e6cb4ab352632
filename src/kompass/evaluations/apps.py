from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "kompass.evaluations"
    verbose_name = "Utvärderingar"
    default_auto_field = "django.db.models.BigAutoField"
