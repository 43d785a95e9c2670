from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "jiesu.learning"
    verbose_name = "智能分类"
    periodic_tasks = {"retrain-classifier": {"task": "jiesu.learning.retrain", "schedule": 24 * 3600.0}}
