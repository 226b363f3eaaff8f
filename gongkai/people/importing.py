"""Importing people (with their affiliations and roles) from a spreadsheet, and exporting them
in the same columns.

One row is one person at one organisation: an affiliation (党员/职工) and/or roles there. A
person at several orgs has several rows, which must agree on name, e-mail and phone. People are
keyed by username: importing the same file again updates and never duplicates. Affiliations and
roles in the file are ADDED; ones the file does not mention are left alone (a file of one branch
must not strip people's roles elsewhere; removing stays a deliberate act in the staff pages).

All or nothing, one audit event per import, no per-row chain entries (see orgs.importing).
Imported people get an unusable password (no hashing a million passwords); they set one through
password reset or an administrator.
"""

from __future__ import annotations

import re
import secrets
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.chain import record
from gongkai.bulk import batched, insert_rows
from gongkai.orgs.importing import PermissionGate, common_org, file_digest
from gongkai.orgs.models import Affiliation, AffiliationKind, Org, Role, RoleGrant
from gongkai.orgs.permissions import Action, PermissionDenied, orgs_where
from gongkai.people.models import User
from gongkai.tabular import (
    Column,
    ImportReport,
    RowError,
    TableError,
    map_columns,
    read_table,
    write_table,
)
from gongkai.validators import PHONE_PATTERN

COLUMNS = (
    Column("username", ("用户名", "账号", "登录名"), required=True),
    Column("real_name", ("姓名",), required=True),
    Column("org_code", ("组织代码", "所在组织代码"), required=True),
    Column("affiliation", ("组织关系", "关系"), required=True),
    Column("roles", ("角色",)),
    Column("email", ("电子邮箱", "邮箱")),
    Column("phone", ("手机号", "手机", "电话", "联系电话")),
)
EXPORT_HEADERS = [c.field for c in COLUMNS]
IMPORTABLE_ROLES = (Role.OFFICER, Role.REVIEWER, Role.SECRECY_REVIEWER, Role.LEADER, Role.SUPERVISOR)
AFFILIATIONS = {"member": AffiliationKind.MEMBER, "党员": AffiliationKind.MEMBER,
                "staff": AffiliationKind.STAFF, "职工": AffiliationKind.STAFF,
                "干部职工": AffiliationKind.STAFF}
ROLE_NAMES: dict[str, str] = {
    **{r.value: r.value for r in IMPORTABLE_ROLES},
    **{str(r.label): r.value for r in IMPORTABLE_ROLES},
    "专员": Role.OFFICER, "审核": Role.REVIEWER, "保密审查": Role.SECRECY_REVIEWER,
    "保密审查员": Role.SECRECY_REVIEWER, "书记": Role.LEADER, "第一责任人": Role.LEADER,
    "负责人": Role.LEADER, "监督": Role.SUPERVISOR,
}
ROLE_SPLIT = re.compile(r"[,，、;；/\s]+")
USERNAME_RE = re.compile(r"^[\w.@+-]+\Z")
PHONE_RE = re.compile(PHONE_PATTERN)
LIMITS = {"username": 150, "real_name": 64, "email": 254, "phone": 32}
DETAILS = ("real_name", "email", "phone")
CHUNK = 2000
# Above this many people already in the database, load whole tables once instead of asking
# for them a chunk at a time.
WHOLE_TABLE = 50_000


@dataclass(slots=True)
class _Row:
    row: int
    username: str
    org_code: str
    affiliation: str
    roles: tuple[str, ...]


@dataclass(slots=True)
class _Person:
    row: int
    username: str
    details: dict[str, str]  # real_name, and email/phone when the file has those columns
    id: int | None = None
    is_active: bool = True
    changed: bool = False


def may_import_people(actor: Any) -> bool:
    if actor is None or (actor.is_authenticated and actor.is_superuser):
        return True
    return orgs_where(actor, Action.PEOPLE_MANAGE).exists()


class _Check:
    def __init__(self, actor: Any, report: ImportReport, labels: dict[str, str]) -> None:
        self.actor = actor
        self.gate = PermissionGate(actor)
        self.report = report
        self.labels = labels
        self.rows: list[_Row] = []
        self.people: dict[str, _Person] = {}
        self.seen: dict[tuple[str, str, str], int] = {}
        self.orgs: dict[str, tuple[int, str, bool]] = {}
        self.email_ok = EmailValidator()
        self.new_affiliations: list[tuple[str, int, str]] = []
        self.new_grants: list[tuple[str, int, str]] = []
        self.new_grant_keys: set[tuple[Any, int, str]] = set()

    def error(self, row: int, column: str, message: str) -> None:
        self.report.errors.append(RowError(row, self.labels.get(column, column), message))

    def parse(self, rows: Iterator[tuple[int, list[str]]], values_of: Any) -> None:
        for number, cells in rows:
            self.report.rows += 1
            self._parse_row(number, values_of(cells))

    def _parse_row(self, n: int, v: dict[str, str]) -> None:
        username, org_code = v["username"], v["org_code"]
        ok = True
        for column in ("username", "real_name", "org_code"):
            if not v[column]:
                self.error(n, column, {"username": _("请填写用户名"), "real_name": _("请填写姓名"),
                                       "org_code": _("请填写组织代码")}[column])
                ok = False
        for column, limit in LIMITS.items():
            if len(v.get(column, "")) > limit:
                self.error(n, column, _("内容过长：最多 %(n)s 个字符") % {"n": limit})
                ok = False
        if username and not USERNAME_RE.match(username):
            self.error(n, "username", _("用户名只能包含字母、数字、汉字和 @ . + - _"))
            ok = False
        affiliation = AFFILIATIONS.get(v["affiliation"].lower(), "") if v["affiliation"] else ""
        if v["affiliation"] and not affiliation:
            self.error(n, "affiliation", _("组织关系须为 member（党员）或 staff（职工）：%(v)s")
                       % {"v": v["affiliation"]})
            ok = False
        roles = self._roles(n, v.get("roles", ""))
        if roles is None:
            ok = False
        elif not affiliation and not roles and not v["affiliation"]:
            self.error(n, "affiliation", _("请填写组织关系（党员/职工），或至少填写一个角色"))
            ok = False
        phone, email = v.get("phone", ""), v.get("email", "")
        if phone and not PHONE_RE.match(phone):
            self.error(n, "phone", _("手机号格式不正确：应为11位手机号或带区号的固定电话"))
            ok = False
        if email:
            try:
                self.email_ok(email)
            except ValidationError:
                self.error(n, "email", _("电子邮箱格式不正确：%(v)s") % {"v": email})
                ok = False
        key = (username, org_code, affiliation)
        if key in self.seen:
            self.error(n, "username", _("与第 %(r)s 行重复：同一人员在同一组织的同一组织关系只能写一行")
                       % {"r": self.seen[key]})
            ok = False
        if not ok or not username:
            return
        self.seen[key] = n
        details = {k: v[k] for k in DETAILS if k in v}
        person = self.people.get(username)
        if person is None:
            self.people[username] = _Person(n, username, details)
        else:
            for column, value in details.items():
                if person.details.get(column) != value:
                    self.error(n, column, _("与第 %(r)s 行同一用户名的信息不一致") % {"r": person.row})
        self.rows.append(_Row(n, username, org_code, affiliation, roles or ()))

    def _roles(self, n: int, text: str) -> tuple[str, ...] | None:
        roles: list[str] = []
        bad = False
        for word in ROLE_SPLIT.split(text.strip()):
            if not word:
                continue
            role = ROLE_NAMES.get(word.lower()) or ROLE_NAMES.get(word)
            if word.lower() == Role.ADMIN or word == str(Role.ADMIN.label):
                self.error(n, "roles", _("不能通过导入授予管理员角色"))
                bad = True
            elif role is None:
                self.error(n, "roles", _("未知角色：%(r)s（可填 officer、reviewer、secrecy_reviewer、"
                                         "leader、supervisor 或对应中文名称）") % {"r": word})
                bad = True
            elif role not in roles:
                roles.append(role)
        return None if bad else tuple(roles)

    # -- checks against the database ------------------------------------------------------------
    def relate(self) -> None:
        codes = sorted({r.org_code for r in self.rows})
        for chunk in batched(codes, CHUNK):
            for code, pk, path, active in Org.objects.filter(code__in=chunk).values_list(
                    "code", "id", "path", "is_active"):
                self.orgs[code] = (pk, path, active)
        self._load_people()
        held_aff, held_roles = self._load_holdings()
        for row in self.rows:
            org = self.orgs.get(row.org_code)
            if org is None:
                self.error(row.row, "org_code", _("组织不存在：%(c)s") % {"c": row.org_code})
                continue
            org_id, path, active = org
            if not self.gate.may(Action.PEOPLE_MANAGE, path):
                self.error(row.row, "org_code", _("无权管理该组织的人员：%(c)s") % {"c": row.org_code})
                continue
            if row.roles and not self.gate.may(Action.ROLES_GRANT, path):
                self.error(row.row, "roles", _("无权在该组织授予角色：%(c)s") % {"c": row.org_code})
                continue
            if not active:
                self.error(row.row, "org_code", _("组织已撤销：%(c)s") % {"c": row.org_code})
                continue
            person = self.people[row.username]
            if row.affiliation and (person.id, org_id, row.affiliation) not in held_aff:
                self.new_affiliations.append((row.username, org_id, row.affiliation))
                person.changed = True
            for role in row.roles:
                # The same role written on a person's member row and staff row is one grant.
                key = (person.id or row.username, org_id, role)
                if key in held_roles or key in self.new_grant_keys:
                    continue
                self.new_grant_keys.add(key)
                if not person.is_active:
                    self.error(row.row, "roles", _("该人员账号已停用，不能授予角色"))
                self.new_grants.append((row.username, org_id, role))
                person.changed = True

    def _load_people(self) -> None:
        usernames = self.people
        fields = ("username", "id", "is_active", *DETAILS)
        if User.objects.count() <= max(WHOLE_TABLE, len(usernames)):
            found: Iterable[tuple[Any, ...]] = User.objects.values_list(*fields).iterator(chunk_size=10000)
        else:
            found = (values for chunk in batched(list(usernames), CHUNK)
                     for values in User.objects.filter(username__in=chunk).values_list(*fields))
        detail_changes: list[_Person] = []
        for username, pk, active, *details in found:
            person = usernames.get(username)
            if person is None:
                continue
            person.id, person.is_active = pk, active
            current = dict(zip(DETAILS, details, strict=True))
            if any(current[k] != v for k, v in person.details.items()):
                person.changed = True
                detail_changes.append(person)
        self.detail_changes = detail_changes
        self._check_may_edit(detail_changes)

    def _check_may_edit(self, people: list[_Person]) -> None:
        """Changing an existing person's name or contact details needs the right to manage
        them at one of their current orgs, as in people.actions.person_update."""
        if self.actor is None or getattr(self.actor, "is_superuser", False) or not people:
            return
        paths: dict[int, list[str]] = defaultdict(list)
        by_id = {p.id: p for p in people if p.id is not None}
        for chunk in batched(list(by_id), CHUNK):
            for pk, path in [
                    *Affiliation.objects.filter(person_id__in=chunk).values_list("person_id", "org__path"),
                    *RoleGrant.objects.filter(person_id__in=chunk).values_list("person_id", "org__path")]:
                paths[pk].append(path)
        for pk, person in by_id.items():
            if not any(self.gate.may(Action.PEOPLE_MANAGE, p) for p in paths[pk]):
                self.error(person.row, "username",
                           _("无权修改该人员的姓名或联系方式：该人员不在您管理的组织中"))

    def _load_holdings(self) -> tuple[set[tuple[Any, int, str]], set[tuple[Any, int, str]]]:
        ids = [p.id for p in self.people.values() if p.id is not None]
        affiliations: set[tuple[Any, int, str]] = set()
        grants: set[tuple[Any, int, str]] = set()
        if not ids:
            return affiliations, grants
        for model, column, target in ((Affiliation, "kind", affiliations), (RoleGrant, "role", grants)):
            qs = model.objects.all()
            if len(ids) > WHOLE_TABLE:
                target.update(qs.values_list("person_id", "org_id", column).iterator(chunk_size=10000))
            else:
                for chunk in batched(ids, CHUNK):
                    target.update(qs.filter(person_id__in=chunk).values_list("person_id", "org_id", column))
        return affiliations, grants


def _write(check: _Check, actor: Any) -> None:
    now = timezone.now()
    new = [p for p in check.people.values() if p.id is None]
    before = User.objects.aggregate(top=Max("id"))["top"] or 0
    insert_rows(User, ("password", "last_login", "is_superuser", "username", "real_name", "phone",
                       "email", "is_active", "is_staff", "date_joined"), (
        # "!" + random: what set_unusable_password() stores, without its per-call overhead.
        ("!" + secrets.token_urlsafe(30), None, False, p.username, p.details["real_name"],
         p.details.get("phone", ""), p.details.get("email", ""), True, False, now)
        for p in new))
    ids = {p.username: p.id for p in check.people.values() if p.id is not None}
    if new:
        for username, pk in User.objects.filter(id__gt=before).values_list("username", "id").iterator(
                chunk_size=10000):
            ids.setdefault(username, pk)
    User.objects.bulk_update(
        [User(id=p.id, **{k: p.details.get(k, "") for k in DETAILS}) for p in check.detail_changes],
        [k for k in DETAILS if k in next(iter(check.people.values())).details], batch_size=1000)
    insert_rows(Affiliation, ("person_id", "org_id", "kind", "created_at"),
                ((ids[u], org, kind, now) for u, org, kind in check.new_affiliations))
    granted_by = actor.pk if getattr(actor, "pk", None) else None
    insert_rows(RoleGrant, ("person_id", "org_id", "role", "granted_at", "granted_by_id"),
                ((ids[u], org, role, now, granted_by) for u, org, role in check.new_grants))


def import_people(*, actor: Any, data: bytes, file_name: str, dry_run: bool = False) -> ImportReport:
    """Create and update people, and add their affiliations and roles, from a spreadsheet.
    Bad rows make the whole file change nothing."""
    if not may_import_people(actor):
        raise PermissionDenied(_("您无权导入人员"))
    report = ImportReport("people", Path(file_name).name, file_digest(data), dry_run)
    try:
        table = read_table(data, file_name)
        columns = map_columns(table.headers, COLUMNS)
        report.ignored_columns = columns.ignored
        if columns.errors:
            report.errors = columns.errors
            return report
        check = _Check(actor, report, columns.labels)
        check.parse(table.rows, columns.values)
        if not report.rows:
            report.errors.append(RowError(2, "", _("文件中没有数据行")))
        with transaction.atomic():
            check.relate()
            report.errors.sort(key=lambda e: e.row)
            if report.errors:
                return report
            people = check.people.values()
            report.created = sum(1 for p in people if p.id is None)
            report.updated = sum(1 for p in people if p.id is not None and p.changed)
            report.unchanged = len(check.people) - report.created - report.updated
            report.details = {"affiliations_added": len(check.new_affiliations),
                              "roles_added": len(check.new_grants)}
            if dry_run:
                return report
            _write(check, actor)
            record(actor=actor, action="import.people", object_type="import",
                   object_id=report.sha256[:16], object_repr=report.file_name,
                   org=common_org(path for _id, path, _a in check.orgs.values()),
                   new={"file_name": report.file_name, "sha256": report.sha256,
                        "rows": report.rows, "created": report.created,
                        "updated": report.updated, "unchanged": report.unchanged,
                        **report.details})
    except TableError as error:
        report.errors = [RowError(0, "", error.message)]
    except IntegrityError:
        report.errors = [RowError(0, "", _("导入时与其他修改发生冲突，未导入任何数据，请稍后重试"))]
    return report


def export_people(*, actor: Any, target: str | Path | IO[bytes]) -> int:
    """Write the active people at the orgs the actor may view, one row per person and org,
    with the roles held there (admin grants are left out: the import cannot grant them)."""
    affiliations = Affiliation.objects.filter(person__is_active=True)
    grants = RoleGrant.objects.filter(person__is_active=True, role__in=IMPORTABLE_ROLES)
    if actor is not None:
        visible = orgs_where(actor, Action.PEOPLE_VIEW)
        affiliations, grants = affiliations.filter(org__in=visible), grants.filter(org__in=visible)
    roles: dict[tuple[int, int], list[str]] = defaultdict(list)
    for person_id, org_id, role in grants.order_by("role").values_list("person_id", "org_id", "role"):
        roles[(person_id, org_id)].append(role)
    person_fields = ("person__username", "person__real_name", "org__code")
    contact = ("person__email", "person__phone")

    def rows() -> Iterator[list[str]]:
        for username, name, code, kind, email, phone, pid, oid in (
                affiliations.order_by("org__path", "person__username", "kind")
                .values_list(*person_fields, "kind", *contact, "person_id", "org_id")
                .iterator(chunk_size=5000)):
            yield [username, name, code, kind, ",".join(roles.pop((pid, oid), [])), email, phone]
        if not roles:
            return
        # Roles at orgs where the person has no affiliation: a row with roles only.
        for username, name, code, email, phone, pid, oid in (
                grants.order_by("org__path", "person__username")
                .values_list(*person_fields, *contact, "person_id", "org_id")
                .iterator(chunk_size=5000)):
            if (pid, oid) in roles:
                yield [username, name, code, "", ",".join(roles.pop((pid, oid))), email, phone]

    with transaction.atomic():
        count = write_table(target, EXPORT_HEADERS, rows(), sheet_title="people")
        record(actor=actor, action="export.people", object_type="export", object_id="people",
               object_repr=_("导出人员"), new={"rows": count})
    return count
