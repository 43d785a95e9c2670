from celery.schedules import crontab
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "jiesu.insight"
    verbose_name = _("主动治理")
    periodic_tasks = {
        # Surges and stability risks reach the units within a minute (R27.1).
        "alert-check": {"task": "jiesu.insight.check_alerts", "schedule": 60.0},
        # Weekly counts, seasonal forecasts and units' next-month expectations (R25.1), each night.
        "forecast-refresh": {"task": "jiesu.insight.refresh_forecasts", "schedule": crontab(hour=2, minute=40)},
    }
