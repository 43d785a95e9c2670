from celery.schedules import crontab
from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "jiesu.notifications"
    verbose_name = "通知"
    # Units are told when their own limit nears, and get a digest each morning (R26.1).
    periodic_tasks = {
        "limits-near": {"task": "jiesu.notifications.limits_near", "schedule": 300.0},
        "daily-digest": {"task": "jiesu.notifications.daily_digest", "schedule": crontab(hour=7, minute=30)},
    }

    def ready(self):
        from jiesu.celery import app
        from jiesu.core import schedule

        from . import receivers  # noqa: F401 - connects the order-event receivers

        # Core (below this app) gathers every app's periodic_tasks into this app's beat schedule,
        # which `celery beat` and `jiesu run-schedule` both run.
        schedule.use_celery_app(app)
