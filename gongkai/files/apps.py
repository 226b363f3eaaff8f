from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "gongkai.files"
    verbose_name = "附件存储"
