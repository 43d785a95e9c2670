from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "jiesu.notifications"
    verbose_name = "通知"

    def ready(self):
        from . import receivers  # noqa: F401 - connects the order-event receivers
