"""Periodic insight work for celery beat and `jiesu run-schedule`."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="jiesu.insight.check_alerts")
def check_alerts() -> str:
    from .services import check_alerts as run

    return str(run())


@shared_task(name="jiesu.insight.refresh_forecasts")
def refresh_forecasts() -> str:
    from .forecasting import refresh

    return str(refresh())


@shared_task(name="jiesu.insight.group_topics")
def group_topics() -> str:
    from .stored_topics import group_new_orders

    return str(group_new_orders())
