from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "jiesu.followup"
    verbose_name = "回访"
