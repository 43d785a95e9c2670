from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "jiesu.dispatch"
    verbose_name = "派单（审核、会商、异议）"
