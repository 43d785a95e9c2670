"""Background jobs are registered with the Celery app and scheduled (R23.1, R21.1, R12.3)."""

from django.conf import settings


def test_scheduled_tasks_are_registered():
    from jiesu.celery import app

    app.loader.import_default_modules()
    registered = set(app.tasks)
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in registered, entry["task"]
