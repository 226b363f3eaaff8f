from django.urls import path, register_converter

from gongkai.portal import views


class OrgCode:
    """An org's code as orgs.models.CODE_PATTERN allows it: anything else is a 404 before a
    query runs (a NUL byte would make PostgreSQL fail)."""

    regex = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class IndexNumber(OrgCode):
    """An item's index number (索引号), `<org code>-<year>-<number>`: the item's stable public
    address, never reused, safe in a path as it is."""

    regex = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"


register_converter(OrgCode, "portal_code")
register_converter(IndexNumber, "portal_index")

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("items/", views.item_list, name="items"),
    path("items/<portal_index:number>/", views.item_detail, name="item"),
    path("items/<portal_index:number>/files/<int:file_id>/", views.item_attachment, name="attachment"),
    path("orgs/", views.directory, name="directory"),
    path("orgs/<portal_code:code>/", views.org_page, name="org"),
    path("orgs/<portal_code:code>/catalogue/", views.org_catalogue, name="catalogue"),
    path("guide/", views.guide, name="guide"),
    path("search/", views.search, name="search"),
    path("me/disclosures/", views.my_disclosures, name="my_disclosures"),
]

# After the converters above are registered: the feed addresses use them.
from gongkai.portal.feeds_urls import feed_patterns  # noqa: E402

urlpatterns += feed_patterns

# The bulletin board (print view, PDF) and the e-screen of an org: portal/display_urls.py.
from gongkai.portal.display_urls import display_patterns  # noqa: E402

urlpatterns += display_patterns
