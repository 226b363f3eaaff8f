"""Working-day arithmetic over the API (the calendar is public knowledge; a token is still
required like every other endpoint)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from gongkai.api.errors import READ_ERRORS
from gongkai.workdays import calendar

router = Router(tags=["workdays"])


class AddQuery(Schema):
    date: dt.date = Field(description="起算日（不计入），YYYY-MM-DD")
    n: int = Field(ge=0, le=calendar.MAX_DAYS, description="工作日数")


class StepOut(Schema):
    date: dt.date
    counted: bool
    reason: str


class AddOut(Schema):
    start: dt.date
    n: int
    due: dt.date = Field(description="起算日之后第 n 个工作日")
    steps: list[StepOut] = Field(description="逐日说明：计入或跳过，以及原因")
    explanation: list[str]
    warnings: list[str] = Field(description="涉及尚未录入节假日安排的年份时的提示")


@router.get("/workdays/add", response={200: AddOut, **READ_ERRORS}, operation_id="workdays_add",
            summary="计算若干个工作日之后的日期")
def workdays_add(request: HttpRequest, query: Query[AddQuery]) -> dict[str, Any]:
    result = calendar.add_workdays(query.date, query.n)
    return {
        "start": result.start, "n": result.n, "due": result.due,
        "steps": [{"date": s.day, "counted": s.counted, "reason": s.reason} for s in result.steps],
        "explanation": result.explanation(), "warnings": result.warnings,
    }
