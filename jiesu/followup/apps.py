from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "jiesu.followup"
    verbose_name = "回访"
    # Replied and overdue orders reach the return-visit queue by themselves.
    periodic_tasks = {"return-visit-sweep": {"task": "jiesu.followup.sweep", "schedule": 300.0}}

    def ready(self):
        from jiesu.notifications import services as notify

        from .services import rating_link_for

        # Rating links are made when the SMS is sent, never stored (R8.2, R8.3).
        notify.register_link("rating_link", rating_link_for)
