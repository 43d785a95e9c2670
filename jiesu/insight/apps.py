from celery.schedules import crontab
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "jiesu.insight"
    verbose_name = _("主动治理")
    periodic_tasks = {
        # Surges and stability risks reach the units within a minute (R27.1).
        "alert-check": {"task": "jiesu.insight.check_alerts", "schedule": 60.0},
        # New orders joined to the topics of earlier ones (R18.1, R24.1): each order grouped once.
        "topic-grouping": {"task": "jiesu.insight.group_topics", "schedule": 300.0},
        # Weekly counts, seasonal forecasts and units' next-month expectations (R25.1), each night.
        "forecast-refresh": {"task": "jiesu.insight.refresh_forecasts", "schedule": crontab(hour=2, minute=40)},
    }

    def ready(self):
        from jiesu.notifications import services as notify

        from . import selectors

        # An alert or a 每月一题 task in a unit's inbox opens its page (which checks who asks).
        for kind in ("alert_surge", "alert_risk"):
            notify.register_target(kind, selectors.alert_target)
        notify.register_target("monthly_topic_task", selectors.task_target)
