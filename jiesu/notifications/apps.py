from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "jiesu.notifications"
    verbose_name = "通知"

    def ready(self):
        from jiesu.celery import app
        from jiesu.core import schedule

        from . import receivers  # noqa: F401 - connects the order-event receivers

        # `jiesu run-schedule` (in core, below this app) runs the beat schedule on this app.
        schedule.use_celery_app(app)
