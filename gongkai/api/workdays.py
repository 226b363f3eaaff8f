"""Working-day arithmetic over the API (the calendar is public knowledge; a token is still
required like every other endpoint)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field, field_validator

from gongkai.api.errors import READ_ERRORS, ApiError
from gongkai.workdays import calendar, queries

router = Router(tags=["workdays"])


class AddQuery(Schema):
    date: dt.date = Field(description="起算日（不计入），YYYY-MM-DD")
    n: int = Field(ge=0, le=calendar.MAX_DAYS, description="工作日数，0 到 3650")

    @field_validator("date")
    @classmethod
    def _in_range(cls, value: dt.date) -> dt.date:
        calendar.check_input(value, 0)  # CalendarInputError is a ValueError: a Chinese 422
        return value


class StepOut(Schema):
    date: dt.date
    counted: bool = Field(description="是否计入工作日")
    kind: str = Field(description="workday 工作日 | makeup 调休上班 | weekend 周末 | holiday 法定节假日")
    reason: str = Field(description="中文原因，如“法定节假日：国庆节”")


class AddOut(Schema):
    start: dt.date
    n: int
    due: dt.date = Field(description="起算日之后第 n 个工作日")
    steps: list[StepOut] = Field(description="逐日说明：计入或跳过，以及原因")
    explanation: list[str] = Field(description="同一说明的中文逐行文本")
    warnings: list[str] = Field(description="涉及尚未录入节假日安排的年份时的提示")


class DayOut(Schema):
    date: dt.date
    kind: str = Field(description="holiday 放假 | workday 调休上班")
    name: str


class YearOut(Schema):
    year: int
    source: str = Field(description="admin 管理员录入 | package 内置数据 | weekends_only 无数据，仅按周末")
    source_label: str
    note: str = Field(description="管理员录入时填写的依据")
    loaded_at: dt.datetime | None
    days: list[DayOut] = Field(description="该年的例外日：工作日放假、周末调休上班（以及假期中的周末）")
    warning: str = Field(description="无数据年份的提示，否则为空")


@router.get("/workdays/add", response={200: AddOut, **READ_ERRORS}, operation_id="workdays_add",
            summary="计算若干个工作日之后的日期")
def workdays_add(request: HttpRequest, query: Query[AddQuery]) -> dict[str, Any]:
    result = calendar.add_workdays(query.date, query.n)
    return {
        "start": result.start, "n": result.n, "due": result.due,
        "steps": [{"date": s.day, "counted": s.counted, "kind": s.kind, "reason": s.reason}
                  for s in result.steps],
        "explanation": result.explanation(), "warnings": result.warnings,
    }


@router.get("/workdays/years/{year}", response={200: YearOut, **READ_ERRORS},
            operation_id="workdays_year_get", summary="某年的节假日安排及其来源")
def workdays_year_get(request: HttpRequest, year: int) -> dict[str, Any]:
    try:
        view = queries.year_view(year)
    except calendar.CalendarInputError as error:
        raise ApiError(422, "invalid_input", str(error)) from None
    return {
        "year": view.year, "source": view.source, "source_label": view.source_label,
        "note": view.schedule.note if view.schedule else "",
        "loaded_at": view.schedule.loaded_at if view.schedule else None,
        "days": [{"date": d.date, "kind": "workday" if d.workday else "holiday", "name": d.name}
                 for d in view.days],
        "warning": view.warning,
    }
