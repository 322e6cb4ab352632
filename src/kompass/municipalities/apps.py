from django.apps import AppConfig


class MunicipalitiesConfig(AppConfig):
    name = "kompass.municipalities"
    verbose_name = "Kommuner"
    default_auto_field = "django.db.models.BigAutoField"
