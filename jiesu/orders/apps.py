from celery.schedules import crontab
from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "jiesu.orders"
    verbose_name = "工单"
    # The next months' event partitions, made each night at a quiet hour (making one takes a
    # brief exclusive lock on the events table); missed nights leave months in hand.
    periodic_tasks = {
        "event-partitions": {"task": "jiesu.orders.event_partitions", "schedule": crontab(hour=3, minute=10)},
    }
