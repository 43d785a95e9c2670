from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jiesu.core"
    verbose_name = "核心"

    def ready(self):
        from . import pgtimes, validation
        from .admin import apply_verbose_names

        pgtimes.install()
        validation.install_field_validators()
        apply_verbose_names()
        # After every app's admin module was imported by the admin's own ready().
        from jiesu.orders.admin_masking import mask_order_admins

        mask_order_admins()
