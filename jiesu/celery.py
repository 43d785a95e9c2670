"""The Celery application of the project: notifications and the periodic jobs.

Configured from Django settings with the CELERY_ prefix: CELERY_BROKER_URL (Redis in
production) and CELERY_TASK_ALWAYS_EAGER, which settings turn on when no broker is set, so
the embedded default runs tasks in-process. Start a worker, and beat for the schedule in
settings.CELERY_BEAT_SCHEDULE, with
    celery -A jiesu worker
    celery -A jiesu beat
(`-A jiesu` finds this module, jiesu.celery, by Celery's own convention.)
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")

app = Celery("jiesu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(
    ["jiesu.notifications", "jiesu.linkage", "jiesu.followup", "jiesu.learning", "jiesu.insight", "jiesu.public"]
)
