"""Scheduled entry point: queue replied and overdue orders for return visits (R23.1)."""

from celery import shared_task

from . import services


@shared_task(name="jiesu.followup.sweep")
def sweep() -> int:
    return services.sweep()
