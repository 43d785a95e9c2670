"""Background jobs are registered with the Celery app and scheduled (R23.1, R21.1, R12.3)."""

from celery.schedules import crontab


def test_scheduled_tasks_are_registered():
    from jiesu.celery import app

    app.loader.import_default_modules()
    registered = set(app.tasks)
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in registered, entry["task"]


def test_each_app_declares_its_own_jobs_and_beat_gets_them_all():
    """The same jobs and intervals as when settings listed them; each comes from the app that
    owns the task, and settings no longer holds a second list."""
    from django.apps import apps
    from django.conf import settings

    from jiesu.celery import app
    from jiesu.core import schedule

    expected = {
        "return-visit-sweep": ("jiesu.followup", "jiesu.followup.sweep", 300.0),
        "follow-neighbour-transfers": ("jiesu.linkage", "jiesu.linkage.follow_transfers", 300.0),
        "retrain-classifier": ("jiesu.learning", "jiesu.learning.retrain", 24 * 3600.0),
        "alert-check": ("jiesu.insight", "jiesu.insight.check_alerts", 60.0),
        "topic-grouping": ("jiesu.insight", "jiesu.insight.group_topics", 300.0),
        "forecast-refresh": ("jiesu.insight", "jiesu.insight.refresh_forecasts", crontab(hour=2, minute=40)),
        "limits-near": ("jiesu.notifications", "jiesu.notifications.limits_near", 300.0),
        "daily-digest": ("jiesu.notifications", "jiesu.notifications.daily_digest", crontab(hour=7, minute=30)),
        "month-topics": ("jiesu.public", "jiesu.public.refresh_month_topics", 3600.0),
        "event-partitions": ("jiesu.orders", "jiesu.orders.event_partitions", crontab(hour=3, minute=10)),
    }
    declared = {
        name: (config.name, entry["task"], entry["schedule"])
        for config in apps.get_app_configs()
        for name, entry in getattr(config, "periodic_tasks", {}).items()
    }
    assert declared == expected
    assert {n: (e["task"], e["schedule"]) for n, e in app.conf.beat_schedule.items()} == {
        n: (task, sched) for n, (_, task, sched) in expected.items()
    }
    assert schedule.beat_schedule() == app.conf.beat_schedule
    assert [j.name for j in schedule.scheduled_jobs(app)] == list(app.conf.beat_schedule)
    assert not hasattr(settings, "CELERY_BEAT_SCHEDULE")


def test_a_job_name_two_apps_declare_is_refused(monkeypatch):
    import pytest
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured

    from jiesu.core import schedule

    monkeypatch.setattr(
        apps.get_app_config("public"), "periodic_tasks", {"alert-check": {"task": "x", "schedule": 1.0}}
    )
    with pytest.raises(ImproperlyConfigured, match="'alert-check' is declared by jiesu.insight and jiesu.public"):
        schedule.beat_schedule()
