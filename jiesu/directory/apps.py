from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "jiesu.directory"
    verbose_name = "名录（地区、单位、人员）"
