from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "gongkai.workspace"

    def ready(self) -> None:
        from django.urls import reverse

        from gongkai.disclosures import links

        # Notifications that the disclosures app writes link to the staff item page.
        links.register_staff_url(lambda pk: reverse("workspace:disclosure", args=[pk]))
