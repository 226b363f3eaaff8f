from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "gongkai.catalogue"
    label = "catalogue"
    verbose_name = _("党务公开目录")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gongkai.catalogue.obligations import recompute_due_dates
        from gongkai.workdays import hooks

        # A changed holiday schedule moves every open deadline it touches (DESIGN.md "Time").
        hooks.on_schedule_changed(recompute_due_dates)
