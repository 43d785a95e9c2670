"""Celery entry point of the follow-up job; shared_task binds to whichever Celery app runs it."""

from celery import shared_task

from . import services


@shared_task(name="jiesu.linkage.follow_transfers")
def follow_transfers() -> dict:
    return services.follow_transfers()
