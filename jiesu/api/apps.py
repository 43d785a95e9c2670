from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jiesu.api"
    verbose_name = "接口"
