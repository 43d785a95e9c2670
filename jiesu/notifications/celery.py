"""The Celery application that carries notifications (and later other background work).

Configured from Django settings with the CELERY_ prefix: CELERY_BROKER_URL (Redis in
production) and CELERY_TASK_ALWAYS_EAGER, which settings turn on when no broker is set, so
the embedded default runs tasks in-process. Start a worker, and beat for the schedule in settings.CELERY_BEAT_SCHEDULE, with
    celery -A jiesu.notifications.celery worker
    celery -A jiesu.notifications.celery beat
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")

app = Celery("jiesu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["jiesu.notifications", "jiesu.linkage", "jiesu.followup", "jiesu.learning", "jiesu.insight"])
