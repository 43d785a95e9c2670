from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "jiesu.catalog"
    verbose_name = "派单规则（事项、派单目录、时限、节假日、特殊情形词库）"

    def ready(self):
        from . import checks, signals  # noqa: F401  (rules revision on every edit; holiday-table warning)
