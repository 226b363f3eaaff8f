"""The REST API under /api/v1/. Each app contributes a router from its own api.py."""

from __future__ import annotations

from ninja import NinjaAPI

from gongkai.api import auth, errors

api = NinjaAPI(
    title="党务公开平台 API",
    version="1",
    description="Gongkai REST API. Authenticate with `Authorization: Bearer <token>`; "
                "create a token on your profile page or with `gongkai token create`.",
    auth=auth.REQUIRED,
    urls_namespace="api",
    openapi_url="openapi.json",
    docs_url="docs",
)
errors.install(api)

from gongkai.api import me  # noqa: E402

api.add_router("", me.router)
