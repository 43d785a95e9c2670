from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jiesu.core"
    verbose_name = "核心"

    def ready(self):
        from . import validation

        validation.install_field_validators()
