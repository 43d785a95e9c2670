"""Scheduled entry point: the order events' monthly partitions made ahead (PostgreSQL)."""

from celery import shared_task

from . import partitions


@shared_task(name="jiesu.orders.event_partitions")
def event_partitions() -> str:
    return ", ".join(partitions.ensure_ahead()) or "nothing to make"
