"""Lists are {"items": [...], "count": n, "next": url|null} with limit/offset."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Schema
from pydantic import Field

T = TypeVar("T")
MAX_LIMIT = 200


class Page(Schema, Generic[T]):
    items: list[T]
    count: int
    next: str | None = None


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="每页条数（1-200）")
    offset: int = Field(0, ge=0, le=10_000_000, description="跳过的条数")


def paginate(request: HttpRequest, qs: QuerySet[Any], params: PageParams,
             to_item: Callable[[Any], Any] | None = None) -> dict[str, Any]:
    count = qs.count()
    rows = list(qs[params.offset: params.offset + params.limit])
    next_url = None
    if params.offset + params.limit < count:
        query = request.GET.copy()
        query["offset"] = str(params.offset + params.limit)
        query["limit"] = str(params.limit)
        next_url = request.build_absolute_uri(f"{request.path}?{urlencode(query, doseq=True)}")
    items = [to_item(r) for r in rows] if to_item else rows
    return {"items": items, "count": count, "next": next_url}
