from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "jiesu.public"
    label = "public"
    verbose_name = "公众服务"
    # The monthly report's topics, grouped ahead of its readers.
    periodic_tasks = {"month-topics": {"task": "jiesu.public.refresh_month_topics", "schedule": 3600.0}}
