from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "jiesu.linkage"
    verbose_name = "京津冀热线联动"
