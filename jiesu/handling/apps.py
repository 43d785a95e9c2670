from django.apps import AppConfig


class HandlingConfig(AppConfig):
    name = "jiesu.handling"
    verbose_name = "承办"
