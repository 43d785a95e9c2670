from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "jiesu.dispatch"
    verbose_name = "派单（审核、会商、异议）"

    def ready(self):
        # A consulted unit sees the order it is asked about (R12.3): dispatch tells orders, which
        # sits below it and does not import it.
        from jiesu.orders.selectors import register_unit_sight

        from .selectors import orders_consulted_by

        register_unit_sight(orders_consulted_by)
