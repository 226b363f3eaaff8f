from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosuresConfig(AppConfig):
    name = "gongkai.disclosures"
    label = "disclosures"
    verbose_name = _("公开事项")
    default_auto_field = "django.db.models.BigAutoField"
