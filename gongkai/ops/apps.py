from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operator commands that belong to no domain app (serving the site)."""

    name = "gongkai.ops"
