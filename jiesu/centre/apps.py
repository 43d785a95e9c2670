from django.apps import AppConfig


class CentreConfig(AppConfig):
    name = "jiesu.centre"
    verbose_name = "热线中心"
