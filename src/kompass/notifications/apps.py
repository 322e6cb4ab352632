from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "kompass.notifications"
    verbose_name = "Aviseringar"
