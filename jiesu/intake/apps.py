from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "jiesu.intake"
    verbose_name = "受理"
