from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "jiesu.insight"
    verbose_name = _("主动治理")
