from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CatalogueConfig(AppConfig):
    name = "kompass.catalogue"
    verbose_name = "Ramverk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kompass.catalogue import registry

        registry.connect()  # definitions.get and frameworks answer from the database
        post_migrate.connect(_load_versions, sender=self)


def _load_versions(**kwargs):
    # The versions follow every migrate and flush, as Django's own content types do, so
    # a new database (tests included) always holds the catalogue.
    from kompass.catalogue.services import catalogue_sync

    catalogue_sync(using=kwargs.get("using", "default"))
