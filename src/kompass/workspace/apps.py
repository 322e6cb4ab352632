from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "kompass.workspace"
    verbose_name = "Arbetsyta"
