from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CatalogueConfig(AppConfig):
    name = "kompass.catalogue"
    verbose_name = "Ramverk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kompass.catalogue import registry

        registry.connect()  # definitions.get and frameworks answer from the database
        post_migrate.connect(_load_reference_data, sender=self)


def _load_reference_data(**kwargs):
    # Reference data follows every migrate and flush, as Django's own content types do,
    # so a new database (tests included) always holds the catalogue and municipalities.
    from kompass.catalogue.services import catalogue_sync
    from kompass.municipalities.services import municipalities_load_shipped

    using = kwargs.get("using", "default")
    catalogue_sync(using=using)
    municipalities_load_shipped(using=using)
