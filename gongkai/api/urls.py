"""The REST API under /api/v1/. Each app contributes a router from its own api.py."""

from __future__ import annotations

from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer

from gongkai.api import auth, errors
from gongkai.api.site import GongkaiAPI


class Utf8Renderer(JSONRenderer):
    # Chinese text as itself, not \uXXXX escapes: a third of the size and readable in logs.
    json_dumps_params = {"ensure_ascii": False}


api = GongkaiAPI(
    title="党务公开平台 API",
    version="1",
    description=(
        "党务公开平台的 REST 接口。脚本使用个人访问令牌：`Authorization: Bearer <token>`，"
        "令牌在个人资料页或用 `gongkai token create USERNAME` 创建；已登录的页面可用会话调用"
        "（写操作须带 CSRF 令牌）。所有错误的形状都是 "
        '`{"error": {"code", "message", "details"}}`；列表是 `{"items", "count", "next"}`。'
        "看不到的对象与不存在的对象一样返回 404。"
    ),
    auth=auth.REQUIRED,
    urls_namespace="api",
    openapi_url="openapi.json",
    docs_url="docs",
    # The online validator badge would call swagger.io: nothing may leave an intranet.
    docs=Swagger(settings={"validatorUrl": None}),
    renderer=Utf8Renderer(),
)
errors.install(api)

from gongkai.api import audit as audit_api  # noqa: E402
from gongkai.api import me  # noqa: E402
from gongkai.api import workdays as workdays_api  # noqa: E402
from gongkai.catalogue import api as catalogue_api  # noqa: E402
from gongkai.orgs import api as orgs_api  # noqa: E402
from gongkai.people import api as people_api  # noqa: E402

api.add_router("", me.router)
api.add_router("", orgs_api.router)
api.add_router("", people_api.router)
api.add_router("", audit_api.router)
api.add_router("", catalogue_api.router)
api.add_router("", workdays_api.router)

from gongkai.catalogue import api_export as catalogue_export_api  # noqa: E402 -- the PDF/XLSX files

api.add_router("", catalogue_export_api.router)

from gongkai.catalogue import api_import as catalogue_import_api  # noqa: E402 -- import from XLSX

api.add_router("", catalogue_import_api.router)

from gongkai.catalogue import api_obligations  # noqa: E402 -- what is due, and when

api.add_router("", api_obligations.router)

from gongkai.notify import api as notify_api  # noqa: E402 -- one's own notifications

api.add_router("", notify_api.router)

from gongkai.disclosures import api as disclosures_api  # noqa: E402 -- items and their procedure

api.add_router("", disclosures_api.router)
