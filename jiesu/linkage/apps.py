from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "jiesu.linkage"
    verbose_name = "京津冀热线联动"
    periodic_tasks = {"follow-neighbour-transfers": {"task": "jiesu.linkage.follow_transfers", "schedule": 300.0}}

    def ready(self):
        from . import signals  # noqa: F401  (connects the receiver of neighbours' Open311 submissions)
