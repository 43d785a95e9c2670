from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo centre: `jiesu demo` loads the directory, rules and knowledge base, creates one
    user per role and, when asked, a year of orders. It sits above every other app and no app
    imports it."""

    name = "jiesu.demo"
    verbose_name = "演示数据"
