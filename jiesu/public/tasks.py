"""Periodic work of the public face for celery beat and `jiesu run-schedule`."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="jiesu.public.refresh_month_topics")
def refresh_month_topics() -> str:
    from .services import refresh_month_topics as run

    return ", ".join(f"{m:%Y-%m}" for m in run())
