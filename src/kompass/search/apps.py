from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "kompass.search"
    verbose_name = "Sökning"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kompass.search import signals  # noqa: F401  (connects the safety net)
