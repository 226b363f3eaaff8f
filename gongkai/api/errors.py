"""One error shape for the whole API: {"error": {"code", "message", "details"}}.

Every way a request can fail ends here: invalid input (ninja's and Django's validation),
permission, missing objects, authentication, CSRF, malformed bodies, unknown paths and
methods (see gongkai.api.site), and, as a last resort, unexpected exceptions."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from gongkai.orgs.permissions import PermissionDenied

logger = logging.getLogger(__name__)


class ErrorBody(Schema):
    code: str
    message: str
    details: Any = None


class ErrorOut(Schema):
    error: ErrorBody


ERROR_RESPONSES: dict[int, type[Schema]] = {
    400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut,
}
# Reads never answer 403: a forbidden object looks missing.
READ_ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}

STATUS_MESSAGES: dict[int, Any] = {
    400: gettext_lazy("请求不正确"),
    401: gettext_lazy("需要登录或有效的访问令牌"),
    403: gettext_lazy("无权执行此操作"),
    404: gettext_lazy("未找到"),
    405: gettext_lazy("不支持该请求方法"),
    409: gettext_lazy("数据冲突，请重试"),
    413: gettext_lazy("请求内容过大"),
    422: gettext_lazy("请求参数不正确"),
    429: gettext_lazy("请求过于频繁，请稍后再试"),
    500: gettext_lazy("服务器内部错误，请稍后重试或联系管理员"),
}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details


def error_response(api: NinjaAPI, request: HttpRequest, status: int, code: str, message: Any,
                   details: Any = None) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": str(message), "details": details}},
        status=status,
    )


def _validation_details(error: DjangoValidationError) -> Any:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in msgs] for field, msgs in error.message_dict.items()}
    return {"__all__": [str(m) for m in error.messages]}


def _pydantic_message(error: dict[str, Any]) -> str:
    """pydantic's messages are English; callers of a Chinese product get Chinese ones."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    simple = {
        "missing": _("必填"),
        "string_type": _("应为字符串"),
        "int_type": _("应为整数"), "int_parsing": _("应为整数"), "int_from_float": _("应为整数"),
        "bool_type": _("应为 true 或 false"), "bool_parsing": _("应为 true 或 false"),
        "datetime_type": _("应为日期时间，如 2024-01-31T08:00:00+08:00"),
        "datetime_parsing": _("应为日期时间，如 2024-01-31T08:00:00+08:00"),
        "datetime_from_date_parsing": _("应为日期时间，如 2024-01-31T08:00:00+08:00"),
        "json_invalid": _("JSON 格式不正确"),
        "json_type": _("JSON 格式不正确"),
        "model_type": _("应为 JSON 对象"), "dict_type": _("应为 JSON 对象"),
        "model_attributes_type": _("应为 JSON 对象"),
        "extra_forbidden": _("不允许的字段"),
        "list_type": _("应为数组"),
    }
    if kind in simple:
        return simple[kind]
    if kind == "string_too_long":
        return _("不能超过%(n)s个字符") % {"n": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("至少%(n)s个字符") % {"n": ctx.get("min_length")}
    if kind == "greater_than_equal":
        return _("不能小于%(n)s") % {"n": ctx.get("ge")}
    if kind == "less_than_equal":
        return _("不能大于%(n)s") % {"n": ctx.get("le")}
    if kind in ("literal_error", "enum"):
        return _("取值无效，可选值：%(v)s") % {"v": ctx.get("expected", "")}
    if kind == "value_error" and ctx.get("error") is not None:
        return str(ctx["error"])
    return _("取值无效")


def _field_name(loc: list[Any]) -> str:
    # ninja's locations start with where the value came from: ("query", "limit"),
    # ("body", "payload", "name"), ("path", "code").
    parts = [str(p) for p in loc[1:] if p != "payload"] or [str(p) for p in loc]
    return ".".join(parts)


def install(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def _invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        details = [
            {"loc": [str(p) for p in e.get("loc", [])], "field": _field_name(list(e.get("loc", []))),
             "msg": _pydantic_message(e), "type": str(e.get("type", ""))}
            for e in exc.errors
        ]
        message = str(STATUS_MESSAGES[422])
        if details:
            message += _("：%(field)s %(msg)s") % {"field": details[0]["field"], "msg": details[0]["msg"]}
        return error_response(api, request, 422, "invalid_input", message, details)

    @api.exception_handler(DjangoValidationError)
    def _invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        messages = exc.messages
        # An action marks "this does not fit the object's state" (approving twice, publishing
        # unapproved) with http_status = 409 on its ValidationError subclass.
        if getattr(exc, "http_status", 400) == 409:
            return error_response(api, request, 409, "conflict", "；".join(str(m) for m in messages),
                                  _validation_details(exc))
        return error_response(api, request, 400, "invalid",
                              "；".join(str(m) for m in messages) or _("输入不正确"),
                              _validation_details(exc))

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error_response(api, request, 403, "forbidden", exc.message)

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404, "not_found", STATUS_MESSAGES[404])

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = error_response(api, request, 401, "unauthenticated", STATUS_MESSAGES[401])
        response["WWW-Authenticate"] = 'Bearer realm="gongkai"'
        return response

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja raises these with English text; the two it raises on its own get their own code.
        text = str(exc)
        if exc.status_code == 400 and text.startswith("Cannot parse request body"):
            return error_response(api, request, 400, "malformed_body",
                                  _("请求体不是有效的 JSON"))
        if exc.status_code == 403 and "CSRF" in text:
            return error_response(api, request, 403, "csrf_failed",
                                  _("CSRF 校验失败：请刷新页面后重试，脚本请改用访问令牌"))
        message = STATUS_MESSAGES.get(exc.status_code, STATUS_MESSAGES[400])
        return error_response(api, request, exc.status_code, "error", message)

    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(api, request, exc.status, exc.code, exc.message, exc.details)

    @api.exception_handler(SuspiciousOperation)
    def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        # Oversized bodies, bad Host headers and the like: the client's fault, not ours.
        return error_response(api, request, 400, "bad_request", STATUS_MESSAGES[400])

    @api.exception_handler(IntegrityError)
    def _conflict(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        # Two writers raced past the same uniqueness check; the loser may simply retry.
        logger.warning("API integrity conflict: %s", exc)
        return error_response(api, request, 409, "conflict", STATUS_MESSAGES[409])

    @api.exception_handler(Exception)
    def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Still a 500, and logged with its traceback: this is a bug to fix, not to hide. The
        # one error shape keeps API clients from having to parse an HTML error page.
        logger.exception("Unhandled API error on %s %s", request.method, request.path)
        return error_response(api, request, 500, "server_error", STATUS_MESSAGES[500])
