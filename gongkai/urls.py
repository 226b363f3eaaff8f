from django.urls import include, path

from gongkai.api.urls import api
from gongkai.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("accounts/", include("gongkai.people.urls")),
    path("staff/", include("gongkai.workspace.urls")),
    path("notifications/", include("gongkai.notify.urls")),
    path("", include("gongkai.portal.urls")),
]
