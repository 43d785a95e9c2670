from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "jiesu.linkage"
    verbose_name = "京津冀热线联动"

    def ready(self):
        from . import signals  # noqa: F401  (connects the receiver of neighbours' Open311 submissions)
