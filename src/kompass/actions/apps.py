from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "kompass.actions"
    verbose_name = "Handlingsplaner"
