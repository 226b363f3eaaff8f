"""The register (登记簿): one entry for every publication, amendment and withdrawal, with its
register number, index number, title, org, scope, channels, dates, and the people and opinions
of each step of the procedure.

Entries ARE audit events (action `register.publish` / `register.amend` / `register.withdraw`):
they sit in the audit trail's hash chain, so `gongkai audit verify` proves the register
untampered along with everything else, and there is no second copy to drift."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from gongkai.audit.chain import record
from gongkai.audit.models import AuditEvent
from gongkai.catalogue.vocab import Channel, Scope
from gongkai.disclosures.models import Disclosure, IndexSequence, Workflow
from gongkai.orgs.models import Org
from gongkai.orgs.permissions import Action, can
from gongkai.tabular import write_table

ACTIONS = {"publish": "register.publish", "amend": "register.amend", "withdraw": "register.withdraw"}
KIND_LABELS = {"register.publish": _l("发布"), "register.amend": _l("变更"), "register.withdraw": _l("撤销")}
COLUMNS = (
    _l("登记号"),
    _l("类型"),
    _l("索引号"),
    _l("标题"),
    _l("文号"),
    _l("公开范围"),
    _l("公开方式"),
    _l("发布时间"),
    _l("提出人"),
    _l("办理过程"),
)


def _next_number(org: Org, year: int) -> str:
    sequence, _created = IndexSequence.objects.select_for_update().get_or_create(
        org=org, year=year, series="register"
    )
    IndexSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    sequence.refresh_from_db()
    return f"{org.code}-{year}-D{sequence.last:05d}"


def _person(user: Any) -> str:
    return "" if user is None else str(user.real_name or user.username)


def record_entry(kind: str, item: Disclosure, workflow: Workflow | None, actor: Any) -> AuditEvent:
    """Write the register entry for `item` (in the caller's transaction)."""
    revision = item.published_revision or item.current
    assert revision is not None
    now = timezone.now()
    steps = []
    if workflow is not None:
        for task in workflow.tasks.select_related("org", "decided_by").order_by("position"):
            steps.append(
                {
                    "step": task.step,
                    "step_label": str(task.get_step_display()),
                    "org": task.org.code,
                    "status": task.status,
                    "by": _person(task.decided_by),
                    "at": task.decided_at.isoformat() if task.decided_at else None,
                    "opinion": task.opinion,
                    **({"meeting": task.details["meeting"]} if "meeting" in task.details else {}),
                }
            )
    snapshot = {
        "register_number": _next_number(item.org, timezone.localdate(now).year),
        "kind": kind,
        "index_number": item.index_number,
        "title": revision.title,
        "doc_number": revision.doc_number,
        "org": item.org.code,
        "org_name": item.org.name,
        "scope": revision.scope,
        "channels": revision.channels,
        "go_live_at": item.go_live_at.isoformat() if item.go_live_at else None,
        "published_at": item.published_at.isoformat() if item.published_at else None,
        "revision": revision.number,
        "content_hash": revision.content_hash,
        "proposed_by": _person(workflow.started_by) if workflow else "",
        "explanation": workflow.explanation if workflow else "",
        "steps": steps,
    }
    return record(
        actor=actor,
        action=ACTIONS[kind],
        obj=item,
        object_repr=f"{item.index_number} {revision.title}",
        org=item.org,
        new=snapshot,
    )


@dataclass(frozen=True)
class Row:
    seq: int
    recorded_at: datetime
    data: dict[str, Any]

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(f"register.{self.data.get('kind')}", ""))

    def cells(self) -> list[str]:
        d = self.data
        scope = str(dict(Scope.choices).get(d.get("scope", ""), d.get("scope", "")))
        channels = "、".join(str(dict(Channel.choices).get(c, c)) for c in d.get("channels", []))
        steps = "；".join(
            f"{s['step_label']}：{s['by']} {(s.get('at') or '')[:10]} {s.get('opinion') or ''}".strip()
            for s in d.get("steps", [])
        )
        return [
            d.get("register_number", ""),
            self.kind_label,
            d.get("index_number", ""),
            d.get("title", ""),
            d.get("doc_number", ""),
            scope,
            channels,
            (d.get("published_at") or "")[:16].replace("T", " "),
            d.get("proposed_by", ""),
            steps,
        ]


def entries(user: Any, org: Org, year: int) -> QuerySet[AuditEvent] | None:
    """The register of `org` for `year`, oldest first; None when the user may not see it (the
    register is the org's working record: its own and its superiors' staff)."""
    if not can(user, Action.ORG_VIEW, org):
        return None
    return AuditEvent.objects.filter(
        action__in=ACTIONS.values(), org_id=org.pk, created_at__year=year
    ).order_by("seq")


def rows(events: QuerySet[AuditEvent]) -> list[Row]:
    return [Row(e.seq, e.created_at, e.new) for e in events]


def to_xlsx(register_rows: list[Row]) -> bytes:
    buffer = io.BytesIO()
    headers = [str(c) for c in COLUMNS]
    write_table(buffer, headers, (r.cells() for r in register_rows), sheet_title=_("登记簿"))
    return buffer.getvalue()
