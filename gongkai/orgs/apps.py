from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "gongkai.orgs"
    verbose_name = "党组织"

    def ready(self) -> None:
        # The calendar (a platform app) cannot import the permission module; tell it who counts
        # as a county administrator: the same right that manages org kinds.
        from gongkai.orgs.permissions import Action, can
        from gongkai.workdays import hooks

        hooks.set_admin_check(lambda user: can(user, Action.KINDS_MANAGE))
