from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "jiesu.insight"
    verbose_name = _("主动治理")

    def ready(self):
        from jiesu.notifications import services as notify

        from . import selectors

        # An alert or a 每月一题 task in a unit's inbox opens its page (which checks who asks).
        for kind in ("alert_surge", "alert_risk"):
            notify.register_target(kind, selectors.alert_target)
        notify.register_target("monthly_topic_task", selectors.task_target)
