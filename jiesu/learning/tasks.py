"""Scheduled retraining from dispatcher corrections; a new model is promoted only if it is better."""

from celery import shared_task

from . import services


@shared_task(name="jiesu.learning.retrain")
def retrain() -> dict:
    return services.retrain_job()
