from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosuresConfig(AppConfig):
    name = "gongkai.disclosures"
    label = "disclosures"
    verbose_name = _("公开事项")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gongkai.disclosures.relabel import relabel_subtrees
        from gongkai.orgs import hooks

        # A moved org has new superiors: the `oversee:` labels of its subtree's published items
        # are rewritten in the move's transaction (orgs cannot import us; DESIGN.md "Layers").
        hooks.on_subtree_moved(relabel_subtrees)

        from gongkai.disclosures import notices
        from gongkai.workdays import hooks as workday_hooks

        # A changed holiday schedule moves the ends of notice periods (stored for the query).
        workday_hooks.on_schedule_changed(notices.recompute)

        from gongkai.disclosures import search_docs
        from gongkai.search import hooks as search_hooks

        # Search rebuilds its index from us (`gongkai search reindex`), and its documents keep
        # their org's path for the subtree filter when the org moves.
        search_hooks.register_provider(search_docs.KIND, search_docs.all_documents)
        hooks.on_subtree_moved(search_docs.follow_moved_subtrees)
