from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "jiesu.orders"
    verbose_name = "工单"
