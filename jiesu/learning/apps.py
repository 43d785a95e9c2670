from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "jiesu.learning"
    verbose_name = "智能分类"
