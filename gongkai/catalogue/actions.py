"""Writes on catalogues. Each function checks permission, changes, audits, in one transaction;
the staff pages, the API and the CLI all call these.

Life of a version: draft → approved (the org's leader) → filed (报备, by the officer, with the
superior) → in force (acknowledged by the superior's officer; the previous one is superseded)
or returned with comments, after which it is edited again. A revision (动态调整) copies the
version in force into a new draft that must explain the change before it is approved."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.chain import record
from gongkai.catalogue import obligations
from gongkai.catalogue.models import (
    EDITABLE,
    OPEN,
    Catalogue,
    CatalogueTemplate,
    CatalogueVersion,
    Entry,
    Obligation,
    Status,
    TemplateOrigin,
    TemplateVersion,
)
from gongkai.catalogue.rows import FLAG_FIELDS, ROW_FIELDS, clean_row, flags_of, label
from gongkai.catalogue.templates import add_version, clean_rows, row_error_messages
from gongkai.catalogue.vocab import Scope, is_wider
from gongkai.orgs.models import Org
from gongkai.orgs.permissions import Action, require

ENTRY_EXTRA = ("wider_scope_reason", "template_row_number")
ENTRY_FIELDS = (*ROW_FIELDS, *FLAG_FIELDS, *ENTRY_EXTRA)
REASON_LIMIT = 2000


def _status_label(status: str) -> str:
    return str(Status(status).label)


def _audit(actor: Any, action: str, version: CatalogueVersion, *, old: dict[str, Any] | None = None,
           new: dict[str, Any] | None = None, reason: str = "") -> None:
    record(actor=actor, action=action, obj=version, org=version.catalogue.org,
           old=old, new={"version": version.number, **(new or {})}, reason=reason)


def _lock(version: CatalogueVersion) -> CatalogueVersion:
    # Lock only the version row: PostgreSQL refuses FOR UPDATE on the outer join to
    # `based_on`, and the org and template are read, not changed.
    return (CatalogueVersion.objects.select_for_update(of=("self",))
            .select_related("catalogue__org", "based_on").get(pk=version.pk))


def _refuse_status(version: CatalogueVersion, allowed: tuple[str, ...], doing: str) -> None:
    if version.status not in allowed:
        raise ValidationError({"status": [_("当前状态为“%(s)s”，不能%(doing)s") % {
            "s": _status_label(version.status), "doing": doing}]})


def _text(value: str | None, field: str, what: str) -> str:
    text = (value or "").strip()
    if len(text) > REASON_LIMIT:
        raise ValidationError({field: [_("%(w)s不能超过%(n)s个字符") % {"w": what, "n": REASON_LIMIT}]})
    if "\x00" in text:
        raise ValidationError({field: [_("%(w)s不能包含空字符") % {"w": what}]})
    return text


# ---------------------------------------------------------------------------------------------
# Templates

def template_for_org(org: Org) -> CatalogueTemplate:
    """The template of the org's kind; an error when there is none or the choice is ambiguous."""
    templates = list(CatalogueTemplate.objects.filter(kinds=org.kind_id).order_by("code"))
    if not templates:
        raise ValidationError({"template": [_("组织类型“%(k)s”没有目录模板，请指定模板") % {
            "k": org.kind.name}]})
    if len(templates) > 1:
        raise ValidationError({"template": [_("组织类型“%(k)s”有多个目录模板（%(t)s），请指定模板") % {
            "k": org.kind.name, "t": "、".join(t.code for t in templates)}]})
    return templates[0]


TEMPLATE_NOTE_LIMIT = 500


@transaction.atomic
def template_edit(*, actor: Any, template: CatalogueTemplate, rows: list[dict[str, Any]],
                  note: str = "") -> Any:
    """An administrator's edit of a template: a new template version; catalogues already made
    from older versions keep theirs."""
    require(actor, Action.TEMPLATES_MANAGE, None, _("只有县级管理员可以修改目录模板"))
    note = _text(note, "note", _("修改说明"))
    if not note:
        raise ValidationError({"note": [_("请填写修改说明")]})
    if len(note) > TEMPLATE_NOTE_LIMIT:  # the column's length: PostgreSQL would refuse more
        raise ValidationError({"note": [_("修改说明不能超过%(n)s个字符") % {"n": TEMPLATE_NOTE_LIMIT}]})
    cleaned, errors = clean_rows(rows)
    if errors:
        raise ValidationError({"rows": errors})
    template = CatalogueTemplate.objects.select_for_update().get(pk=template.pk)
    latest = template.latest_version()
    if latest is not None and latest.rows == cleaned:
        raise ValidationError({"rows": [_("内容没有变化")]})
    return add_version(actor=actor, template=template, name=template.name, source=template.source,
                       rows=cleaned, origin=TemplateOrigin.EDIT, note=note)


# ---------------------------------------------------------------------------------------------
# Creating and editing

@transaction.atomic
def catalogue_create_from_template(*, actor: Any, org: Org,
                                   template: CatalogueTemplate | None = None) -> CatalogueVersion:
    """Start an organisation's catalogue: version 1, a draft holding the template's rows."""
    require(actor, Action.CATALOGUE_EDIT, org)
    if not org.is_active:
        raise ValidationError(_("组织已撤销，不能新建目录"))
    if Catalogue.objects.filter(org=org).exists():
        raise ValidationError(_("该组织已有党务公开目录，请修改现有目录或发起调整"))
    template = template or template_for_org(org)
    based_on = template.latest_version()
    if based_on is None:
        raise ValidationError({"template": [_("模板“%(t)s”还没有内容") % {"t": template.name}]})
    catalogue = Catalogue.objects.create(org=org, created_by=actor if getattr(actor, "pk", None) else None)
    version = CatalogueVersion.objects.create(catalogue=catalogue, number=1, based_on=based_on,
                                              created_by=catalogue.created_by)
    Entry.objects.bulk_create(
        Entry(version=version, position=i, template_row_number=row["number"],
              **{f: row[f] for f in ROW_FIELDS}, **flags_of(row))
        for i, row in enumerate(based_on.rows, start=1))
    _audit(actor, "catalogue.create", version,
           new={"status": version.status, "template": template.code,
                "template_version": based_on.version, "entries": len(based_on.rows)})
    return version


def _entry_values(entry: Entry) -> dict[str, Any]:
    return {f: getattr(entry, f) for f in ENTRY_FIELDS}


def _clean_entry(version: CatalogueVersion, data: dict[str, Any],
                 exclude_pk: int | None = None) -> dict[str, Any]:
    """The entry's values, checked: the row rules, then the rules against the template row
    it came from and the other rows of the version."""
    row = clean_row({k: v for k, v in data.items() if k not in ENTRY_EXTRA})
    reason = _text(data.get("wider_scope_reason"), "wider_scope_reason", _("扩大公开范围的理由"))
    template_number = data.get("template_row_number")
    if template_number in ("", None):
        template_number = None
    elif not isinstance(template_number, str):
        template_number = str(template_number)
    template_row = version.based_on.row(template_number) if version.based_on else None
    if template_number is not None and template_row is None:
        raise ValidationError({"template_row_number": [
            _("模板中没有序号为 %(n)s 的事项") % {"n": template_number}]})
    if template_row is not None:
        base = str(template_row["scope"])
        if is_wider(row["scope"], base) and not reason:
            raise ValidationError({"wider_scope_reason": [
                _("公开范围（%(new)s）比模板（%(base)s）宽，须说明理由") % {
                    "new": Scope(row["scope"]).label, "base": Scope(base).label}]})
    others = version.entries.exclude(pk=exclude_pk) if exclude_pk else version.entries.all()
    if others.filter(number=row["number"]).exists():
        raise ValidationError({"number": [
            _("%(f)s重复：%(n)s") % {"f": label("number"), "n": row["number"]}]})
    if template_number is not None and others.filter(template_row_number=template_number).exists():
        raise ValidationError({"template_row_number": [
            _("模板第 %(n)s 项已在目录中") % {"n": template_number}]})
    return {**row, **flags_of(row), "wider_scope_reason": reason, "template_row_number": template_number}


def _reopen(version: CatalogueVersion) -> dict[str, Any]:
    """Editing a returned version puts it back to draft; the leader approves it again."""
    if version.status == Status.RETURNED:
        version.status = Status.DRAFT
        version.save(update_fields=["status", "updated_at"])
        return {"status": Status.DRAFT}
    version.save(update_fields=["updated_at"])
    return {}


@transaction.atomic
def entry_add(*, actor: Any, version: CatalogueVersion, data: dict[str, Any],
              position: int | None = None) -> Entry:
    version = _lock(version)
    require(actor, Action.CATALOGUE_EDIT, version.catalogue.org)
    _refuse_status(version, EDITABLE, _("修改"))
    values = _clean_entry(version, data)
    last = version.entries.aggregate(n=Max("position"))["n"] or 0
    if position is None or position > last:
        position = last + 1
    else:
        position = max(position, 1)
        for later in version.entries.filter(position__gte=position).order_by("-position"):
            later.position += 1
            later.save(update_fields=["position"])
    entry = Entry.objects.create(version=version, position=position, **values)
    status = _reopen(version)
    _audit(actor, "catalogue.entry_add", version, new={"entry": entry.number, **values, **status})
    return entry


@transaction.atomic
def entry_update(*, actor: Any, entry: Entry, changes: dict[str, Any]) -> Entry:
    """Change any of an entry's fields; the fields not given keep their values."""
    version = _lock(entry.version)
    require(actor, Action.CATALOGUE_EDIT, version.catalogue.org)
    _refuse_status(version, EDITABLE, _("修改"))
    unknown = sorted(set(changes) - set(ENTRY_FIELDS))
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(f)s") % {"f": "、".join(unknown)})
    entry = Entry.objects.get(pk=entry.pk)
    before = _entry_values(entry)
    values = _clean_entry(version, {**before, **changes}, exclude_pk=entry.pk)
    changed = [f for f in ENTRY_FIELDS if values[f] != before[f]]
    if not changed:
        return entry
    for field in changed:
        setattr(entry, field, values[field])
    entry.save(update_fields=changed)
    status = _reopen(version)
    _audit(actor, "catalogue.entry_update", version,
           old={"entry": before["number"], **{f: before[f] for f in changed}},
           new={"entry": entry.number, **{f: values[f] for f in changed}, **status})
    return entry


@transaction.atomic
def entry_remove(*, actor: Any, entry: Entry, reason: str = "") -> None:
    version = _lock(entry.version)
    require(actor, Action.CATALOGUE_EDIT, version.catalogue.org)
    _refuse_status(version, EDITABLE, _("修改"))
    if version.entries.count() <= 1:
        raise ValidationError(_("目录至少要有一项"))
    before = _entry_values(entry)
    Entry.objects.filter(pk=entry.pk).delete()
    status = _reopen(version)
    _audit(actor, "catalogue.entry_remove", version, old={"entry": before["number"], **before},
           new=status, reason=_text(reason, "reason", _("原因")))


@transaction.atomic
def entries_reorder(*, actor: Any, version: CatalogueVersion, order: list[int]) -> None:
    """Put the entries in the order of `order`, a list of every entry id of the version."""
    version = _lock(version)
    require(actor, Action.CATALOGUE_EDIT, version.catalogue.org)
    _refuse_status(version, EDITABLE, _("修改"))
    entries = {e.pk: e for e in version.entries.all()}
    if len(order) != len(entries) or set(order) != set(entries):
        raise ValidationError({"order": [_("排序须恰好列出本版本的每一项")]})
    before = [entries[pk].number for pk in sorted(entries, key=lambda pk: entries[pk].position)]
    for position, pk in enumerate(order, start=1):
        entries[pk].position = position
    Entry.objects.bulk_update(entries.values(), ["position"])
    after = [entries[pk].number for pk in order]
    if before == after:
        return
    status = _reopen(version)
    _audit(actor, "catalogue.entries_reorder", version, old={"order": before},
           new={"order": after, **status})


@transaction.atomic
def entries_replace(*, actor: Any, version: CatalogueVersion, rows: list[dict[str, Any]]) -> None:
    """Replace every entry of an editable version at once (the API's way): all or nothing,
    every bad row reported with its row number."""
    version = _lock(version)
    require(actor, Action.CATALOGUE_EDIT, version.catalogue.org)
    _refuse_status(version, EDITABLE, _("修改"))
    if not rows:
        raise ValidationError({"entries": [_("目录至少要有一项")]})
    before = [_entry_values(e) for e in version.entries.all()]
    version.entries.all().delete()
    errors: dict[str, list[str]] = {}
    created: list[Entry] = []
    for index, data in enumerate(rows, start=1):
        try:
            if not isinstance(data, dict):
                raise ValidationError(_("每一行应为一个对象"))
            values = _clean_entry(version, data)
        except ValidationError as error:
            for message in row_error_messages(error, _("第%(i)s行：") % {"i": index}):
                errors.setdefault(f"entries.{index}", []).append(message)
            continue
        created.append(Entry.objects.create(version=version, position=index, **values))
    if errors:
        # The rows created so far go with the rolled-back transaction.
        raise ValidationError(errors)
    status = _reopen(version)
    _audit(actor, "catalogue.entries_replace", version,
           old={"entries": [e["number"] for e in before]},
           new={"entries": [e.number for e in created], **status})


@transaction.atomic
def version_set_explanation(*, actor: Any, version: CatalogueVersion, text: str) -> CatalogueVersion:
    version = _lock(version)
    require(actor, Action.CATALOGUE_EDIT, version.catalogue.org)
    _refuse_status(version, EDITABLE, _("修改调整说明"))
    text = _text(text, "change_explanation", _("调整说明"))
    if text == version.change_explanation:
        return version
    old = version.change_explanation
    version.change_explanation = text
    version.save(update_fields=["change_explanation", "updated_at"])
    status = _reopen(version)
    _audit(actor, "catalogue.explain", version, old={"change_explanation": old},
           new={"change_explanation": text, **status})
    return version


# ---------------------------------------------------------------------------------------------
# Approval, filing, acknowledgement

@transaction.atomic
def version_approve(*, actor: Any, version: CatalogueVersion, opinion: str = "",
                    change_explanation: str | None = None) -> CatalogueVersion:
    """The org's leader approves the version as it stands (审批)."""
    version = _lock(version)
    require(actor, Action.CATALOGUE_APPROVE, version.catalogue.org,
            _("只有本组织的主要负责人可以审批目录"))
    _refuse_status(version, EDITABLE, _("审批"))
    if change_explanation is not None and change_explanation.strip():
        version.change_explanation = _text(change_explanation, "change_explanation", _("调整说明"))
    if version.number > 1 and not version.change_explanation.strip():
        raise ValidationError({"change_explanation": [_("调整目录须填写调整说明")]})
    if not version.entries.exists():
        raise ValidationError(_("目录至少要有一项"))
    old = version.status
    version.status = Status.APPROVED
    version.approved_at = timezone.now()
    version.approved_by = actor
    version.approval_opinion = _text(opinion, "opinion", _("审批意见"))
    version.save()
    _audit(actor, "catalogue.approve", version, old={"status": old},
           new={"status": version.status, "change_explanation": version.change_explanation},
           reason=version.approval_opinion)
    return version


def _put_in_force(version: CatalogueVersion, now: Any) -> int | None:
    """Supersede the version in force (if any) and put `version` in its place."""
    previous = (CatalogueVersion.objects.select_for_update()
                .filter(catalogue=version.catalogue, status=Status.IN_FORCE).first())
    if previous is not None:
        previous.status = Status.SUPERSEDED
        previous.superseded_at = now
        previous.save(update_fields=["status", "superseded_at", "updated_at"])
    version.status = Status.IN_FORCE
    return previous.number if previous else None


def _derive_obligations(version: CatalogueVersion) -> dict[str, int]:
    """The version is in force: what it makes due follows, in the same transaction."""
    report = obligations.on_in_force(version)
    return {"created": report.created, "updated": report.updated, "removed": report.removed}


@transaction.atomic
def version_file(*, actor: Any, version: CatalogueVersion) -> CatalogueVersion:
    """The officer files the approved version with the superior (报备). A top organisation
    has no superior: its approved catalogue comes into force when filed."""
    version = _lock(version)
    org = version.catalogue.org
    require(actor, Action.CATALOGUE_EDIT, org)
    _refuse_status(version, (Status.APPROVED,), _("报备"))
    if version.number > 1 and not version.change_explanation.strip():
        raise ValidationError({"change_explanation": [_("调整目录须填写调整说明")]})
    now = timezone.now()
    old = version.status
    version.filed_at, version.filed_by = now, actor
    version.status = Status.FILED
    superseded = None
    if org.parent_id is None:
        version.acknowledged_at = now
        superseded = _put_in_force(version, now)
    version.save()
    new: dict[str, Any] = {"status": version.status}
    if superseded is not None:
        new["superseded"] = superseded
    if version.status == Status.IN_FORCE:
        new["obligations"] = _derive_obligations(version)
    _audit(actor, "catalogue.file", version, old={"status": old}, new=new)
    return version


@transaction.atomic
def version_acknowledge(*, actor: Any, version: CatalogueVersion, opinion: str = "") -> CatalogueVersion:
    """The superior's officer acknowledges a filing (备案): the version comes into force and
    the previous one is superseded."""
    version = _lock(version)
    require(actor, Action.CATALOGUE_ACKNOWLEDGE, version.catalogue.org,
            _("只有上级组织的公开专员可以办理报备"))
    _refuse_status(version, (Status.FILED,), _("确认备案"))
    now = timezone.now()
    version.acknowledged_at, version.acknowledged_by = now, actor
    version.acknowledge_opinion = _text(opinion, "opinion", _("备案意见"))
    superseded = _put_in_force(version, now)
    version.save()
    _audit(actor, "catalogue.acknowledge", version, old={"status": Status.FILED},
           new={"status": version.status, "superseded": superseded,
                "obligations": _derive_obligations(version)},
           reason=version.acknowledge_opinion)
    return version


@transaction.atomic
def version_return(*, actor: Any, version: CatalogueVersion, comment: str) -> CatalogueVersion:
    """The superior's officer sends a filing back with comments; the org edits it again."""
    version = _lock(version)
    require(actor, Action.CATALOGUE_ACKNOWLEDGE, version.catalogue.org,
            _("只有上级组织的公开专员可以办理报备"))
    _refuse_status(version, (Status.FILED,), _("退回"))
    comment = _text(comment, "opinion", _("退回意见"))
    if not comment:
        raise ValidationError({"opinion": [_("退回须填写意见")]})
    version.status = Status.RETURNED
    version.returned_at, version.returned_by = timezone.now(), actor
    version.return_comment = comment
    version.save()
    _audit(actor, "catalogue.return", version, old={"status": Status.FILED},
           new={"status": version.status}, reason=comment)
    return version


@transaction.atomic
def version_revise(*, actor: Any, version: CatalogueVersion,
                   change_explanation: str = "") -> CatalogueVersion:
    """Start a revision (动态调整) of the version in force: a new draft with its entries."""
    version = _lock(version)
    catalogue = version.catalogue
    require(actor, Action.CATALOGUE_EDIT, catalogue.org)
    _refuse_status(version, (Status.IN_FORCE,), _("发起调整"))
    if CatalogueVersion.objects.filter(catalogue=catalogue, status__in=OPEN).exists():
        raise ValidationError(_("已有一个正在办理的版本，请先完成它"))
    if not catalogue.org.is_active:
        raise ValidationError(_("组织已撤销，不能调整目录"))
    explanation = _text(change_explanation, "change_explanation", _("调整说明"))
    draft = CatalogueVersion.objects.create(
        catalogue=catalogue, number=version.number + 1, based_on=version.based_on,
        change_explanation=explanation, created_by=actor if getattr(actor, "pk", None) else None)
    Entry.objects.bulk_create(
        Entry(version=draft, position=e.position, **_entry_values(e)) for e in version.entries.all())
    _audit(actor, "catalogue.revise", draft, old={"from_version": version.number},
           new={"status": draft.status, "change_explanation": explanation})
    return draft


# ---------------------------------------------------------------------------------------------
# Template rows, one at a time (the staff pages)

TEMPLATE_ROW_OPS = ("edit", "add", "remove", "up", "down")


@transaction.atomic
def template_row_change(*, actor: Any, template: CatalogueTemplate, based_on: int, op: str,
                        position: int | None = None, row: dict[str, Any] | None = None,
                        note: str = "") -> TemplateVersion:
    """One change to one row of a template (edit, add, remove, move up or down), saved as a
    whole new version through `template_edit`. `position` counts rows from 1 (for "add": the
    row goes before it; none or past the end appends). `based_on` is the version number the
    administrator was looking at: when someone saved another version meanwhile, the change is
    refused instead of being applied to rows the administrator has not seen."""
    require(actor, Action.TEMPLATES_MANAGE, None, _("只有县级管理员可以修改目录模板"))
    if op not in TEMPLATE_ROW_OPS:
        raise ValidationError(_("未知的操作：%(op)s") % {"op": op})
    template = CatalogueTemplate.objects.select_for_update().get(pk=template.pk)
    latest = template.latest_version()
    if latest is None or latest.version != based_on:
        raise ValidationError(_("模板已有更新的版本（第%(n)s版），请回到模板页面重新修改") % {
            "n": latest.version if latest else 0})
    rows = [dict(r) for r in latest.rows]
    index = (position or len(rows) + 1) - 1
    if op != "add" and not 0 <= index < len(rows):
        raise ValidationError({"position": [_("模板中没有第%(i)s项") % {"i": position}]})
    if op in ("edit", "add"):
        # Checked here, not only in template_edit, so each message lands next to its field.
        cleaned = clean_row(row)
        others = [r for i, r in enumerate(rows) if op == "add" or i != index]
        if any(r["number"] == cleaned["number"] for r in others):
            raise ValidationError({"number": [
                _("%(f)s重复：%(n)s") % {"f": label("number"), "n": cleaned["number"]}]})
        if op == "edit":
            rows[index] = cleaned
        else:
            rows.insert(max(0, min(index, len(rows))), cleaned)
    elif op == "remove":
        if len(rows) <= 1:
            raise ValidationError(_("模板至少要有一项"))
        del rows[index]
    else:
        other = index - 1 if op == "up" else index + 1
        if not 0 <= other < len(rows):
            raise ValidationError(_("已在最前，不能上移") if op == "up" else _("已在最后，不能下移"))
        rows[index], rows[other] = rows[other], rows[index]
    version: TemplateVersion = template_edit(actor=actor, template=template, rows=rows, note=note)
    return version


# ---------------------------------------------------------------------------------------------
# Obligations. The disclosure items will fulfil them when published; until then (and for what
# is disclosed off-line: a meeting, the paper bulletin board) the officer records it by hand.

def _lock_obligation(obligation: Obligation) -> Obligation:
    return Obligation.objects.select_for_update(of=("self",)).select_related("org", "entry").get(
        pk=obligation.pk)


@transaction.atomic
def obligation_fulfil(*, actor: Any, obligation: Obligation, note: str) -> Obligation:
    """Mark an obligation done, saying how (e.g. "已于7月5日在党务公开栏公开")."""
    obligation = _lock_obligation(obligation)
    require(actor, Action.CATALOGUE_EDIT, obligation.org)
    if obligation.fulfilled_at is not None:
        raise ValidationError({"status": [_("该事项已完成")]})
    note = _text(note, "note", _("完成说明"))
    if not note:
        raise ValidationError({"note": [_("请填写完成说明（何时、以何种方式公开）")]})
    if len(note) > 500:
        raise ValidationError({"note": [_("完成说明不能超过500字")]})
    obligation.fulfilled_at, obligation.fulfilled_by = timezone.now(), actor
    obligation.fulfilment_note = note
    obligation.save(update_fields=["fulfilled_at", "fulfilled_by", "fulfilment_note"])
    record(actor=actor, action="obligation.fulfil", obj=obligation, org=obligation.org,
           object_repr=f"{obligation.entry.item}（{obligation.period}）",
           old={"fulfilled": False}, new={"fulfilled": True, "due_date": obligation.due_date.isoformat()},
           reason=note)
    return obligation


@transaction.atomic
def obligation_reopen(*, actor: Any, obligation: Obligation, reason: str) -> Obligation:
    """Undo a mark made by mistake; one fulfilled by a disclosure item stays with the item."""
    obligation = _lock_obligation(obligation)
    require(actor, Action.CATALOGUE_EDIT, obligation.org)
    if obligation.fulfilled_at is None:
        raise ValidationError({"status": [_("该事项尚未完成")]})
    if obligation.item_id is not None:
        raise ValidationError({"status": [_("该事项由公开事项办结，不能手工撤销")]})
    reason = _text(reason, "reason", _("撤销理由"))
    if not reason:
        raise ValidationError({"reason": [_("请填写撤销理由")]})
    old_note = obligation.fulfilment_note
    obligation.fulfilled_at, obligation.fulfilled_by, obligation.fulfilment_note = None, None, ""
    obligation.save(update_fields=["fulfilled_at", "fulfilled_by", "fulfilment_note"])
    record(actor=actor, action="obligation.reopen", obj=obligation, org=obligation.org,
           object_repr=f"{obligation.entry.item}（{obligation.period}）",
           old={"fulfilled": True, "note": old_note}, new={"fulfilled": False}, reason=reason)
    return obligation
