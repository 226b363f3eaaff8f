"""An item's content and settings: cleaning what an officer submits (rich text sanitised, scope,
targets, channels, dates), and the content hash an approval is bound to."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

import nh3
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from gongkai.catalogue.vocab import NOTICE_MAX_WORKDAYS, NOTICE_MIN_WORKDAYS, Channel, Scope

# What an item's body may contain: the formatting of an official notice, nothing that runs,
# loads or styles (Ammonia strips everything else, and every link gets rel="noopener noreferrer").
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "span",
    "sub",
    "sup",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
FIELDS = (
    "title",
    "body",
    "doc_number",
    "category",
    "scope",
    "target_org_ids",
    "target_person_ids",
    "channels",
    "go_live_at",
    "display_until",
    "public_from",
    "notice_workdays",
    "risk_assessment",
    "event_date",
    "attachment_ids",
)
TITLE_MAX, BODY_MAX = 200, 200_000


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _text(data: dict[str, Any], field: str, limit: int, label: str, required: bool = False) -> str:
    value = data.get(field, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _error(field, _("%(l)s应为文字") % {"l": label})
    value = value.strip()
    if "\x00" in value:
        raise _error(field, _("%(l)s不能包含空字符") % {"l": label})
    if required and not value:
        raise _error(field, _("请填写%(l)s") % {"l": label})
    if len(value) > limit:
        raise _error(field, _("%(l)s不能超过%(n)s个字符") % {"l": label, "n": limit})
    return value


def _moment(data: dict[str, Any], field: str, label: str) -> datetime | None:
    value = data.get(field)
    if value in (None, ""):
        return None
    if isinstance(value, str):
        parsed = parse_datetime(value) or (
            datetime.combine(d, datetime.min.time()) if (d := parse_date(value)) else None
        )
        if parsed is None:
            raise _error(field, _("%(l)s的格式不正确（应为 2026-07-01 09:00）") % {"l": label})
        value = parsed
    if not isinstance(value, datetime):
        raise _error(field, _("%(l)s的格式不正确") % {"l": label})
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _ids(data: dict[str, Any], field: str, label: str) -> list[int]:
    value = data.get(field) or []
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value
    ):
        raise _error(field, _("%(l)s应为编号列表") % {"l": label})
    return sorted(set(value))


def clean(data: dict[str, Any]) -> dict[str, Any]:
    """The item's fields as they will be stored, or a ValidationError naming the field."""
    out: dict[str, Any] = {
        "title": _text(data, "title", TITLE_MAX, _("标题"), required=True),
        "body": sanitise(_text(data, "body", BODY_MAX, _("正文"))),
        "doc_number": _text(data, "doc_number", 64, _("文号")),
        "category": _text(data, "category", 64, _("类别")),
    }
    scope = data.get("scope")
    if scope not in Scope.values:
        raise _error(
            "scope", _("公开范围无效：“%(v)s”，可选：%(c)s") % {"v": scope, "c": "、".join(Scope.values)}
        )
    out["scope"] = scope
    out["target_org_ids"] = _ids(data, "target_org_ids", _("公开对象（组织）"))
    out["target_person_ids"] = _ids(data, "target_person_ids", _("公开对象（人员）"))
    attachments = data.get("attachment_ids") or []
    if not isinstance(attachments, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in attachments
    ):
        raise _error("attachment_ids", _("附件应为编号列表"))
    if len(attachments) > 20:
        raise _error("attachment_ids", _("附件不能超过20个"))
    out["attachment_ids"] = list(dict.fromkeys(attachments))
    if scope == Scope.TARGETED and not (out["target_org_ids"] or out["target_person_ids"]):
        raise _error("target_org_ids", _("向特定对象公开须指定公开对象（组织或人员）"))
    if scope != Scope.TARGETED and (out["target_org_ids"] or out["target_person_ids"]):
        raise _error("target_org_ids", _("只有“向特定对象公开”才能指定公开对象"))
    channels = data.get("channels") or []
    if not isinstance(channels, list) or not all(isinstance(c, str) for c in channels):
        raise _error("channels", _("公开方式应为代码列表"))
    unknown = [c for c in channels if c not in Channel.values]
    if unknown:
        raise _error("channels", _("未知的公开方式：%(u)s") % {"u": "、".join(unknown)})
    if not channels:
        raise _error("channels", _("请至少选择一种公开方式"))
    out["channels"] = list(dict.fromkeys(channels))
    out["go_live_at"] = _moment(data, "go_live_at", _("计划发布时间"))
    out["display_until"] = _moment(data, "display_until", _("展示截止"))
    out["public_from"] = _moment(data, "public_from", _("向社会公开的时间"))
    start = out["go_live_at"]
    if out["display_until"] and start and out["display_until"] <= start:
        raise _error("display_until", _("展示截止须晚于计划发布时间"))
    if out["public_from"]:
        if scope != Scope.PARTY:
            raise _error("public_from", _("先党内后党外只适用于“党内公开”的事项"))
        if start and out["public_from"] < start:
            raise _error("public_from", _("向社会公开的时间不能早于发布时间"))
    notice = data.get("notice_workdays")
    if notice in ("", None):
        out["notice_workdays"] = None
    elif (
        isinstance(notice, bool)
        or not isinstance(notice, int)
        or not NOTICE_MIN_WORKDAYS <= notice <= NOTICE_MAX_WORKDAYS
    ):
        raise _error(
            "notice_workdays",
            _("公示期应为%(a)s到%(b)s个工作日") % {"a": NOTICE_MIN_WORKDAYS, "b": NOTICE_MAX_WORKDAYS},
        )
    else:
        out["notice_workdays"] = notice
    out["risk_assessment"] = bool(data.get("risk_assessment", False))
    event = data.get("event_date")
    if event in (None, ""):
        out["event_date"] = None
    else:
        parsed = (
            event if isinstance(event, date) else parse_date(str(event)) if isinstance(event, str) else None
        )
        if parsed is None:
            raise _error("event_date", _("事项发生（决定）日期的格式不正确（应为 2026-07-01）"))
        out["event_date"] = parsed
    return out


def content_hash(values: dict[str, Any]) -> str:
    """SHA-256 over the canonical JSON of the fields: what an approval is bound to."""
    canonical = json.dumps(
        {k: values.get(k) for k in FIELDS},
        sort_keys=True,
        ensure_ascii=False,
        default=_canonical,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _canonical(value: Any) -> str:
    # The same moment must hash the same whether it came from a form (Beijing time) or back
    # from the database (UTC): otherwise an edit that changes nothing would look like a change.
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).isoformat()
    return str(value.isoformat())
