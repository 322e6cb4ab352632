from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MunicipalitiesConfig(AppConfig):
    name = "kompass.municipalities"
    verbose_name = "Kommuner"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(_load_shipped, sender=self)


def _load_shipped(**kwargs):
    # The shipped municipalities follow every migrate and flush, as Django's own content
    # types do, so a new database (tests included) always holds them.
    from kompass.municipalities.services import municipalities_load_shipped

    municipalities_load_shipped(using=kwargs.get("using", "default"))
