from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "gongkai.people"
    verbose_name = "人员与角色"
