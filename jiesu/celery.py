"""The Celery application of the project: notifications and the periodic jobs.

Configured from Django settings with the CELERY_ prefix: CELERY_BROKER_URL (Redis in
production) and CELERY_TASK_ALWAYS_EAGER, which settings turn on when no broker is set, so
the embedded default runs tasks in-process. Each app's tasks.py is found by autodiscovery and its
periodic jobs by jiesu.core.schedule (the apps' `periodic_tasks`). Start a worker, and beat for
the schedule, with
    celery -A jiesu worker
    celery -A jiesu beat
(`-A jiesu` finds this module, jiesu.celery, by Celery's own convention.)
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")

app = Celery("jiesu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
