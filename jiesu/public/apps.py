from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "jiesu.public"
    label = "public"
    verbose_name = "公众服务"
