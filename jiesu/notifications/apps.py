from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "jiesu.notifications"
    verbose_name = "通知"
