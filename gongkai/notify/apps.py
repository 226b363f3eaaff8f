from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "gongkai.notify"
    verbose_name = "通知"
