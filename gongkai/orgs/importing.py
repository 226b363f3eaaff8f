"""Importing organisations from a spreadsheet, and exporting them in the same columns.

All or nothing: every row is checked in memory first (codes, kinds, parents, cycles, sibling
names, the importer's rights on each org); if any row is bad nothing is written and the report
names every bad row. Otherwise the whole file is written in one transaction with bulk inserts
and updates, and ONE audit event records the import (file name, SHA-256, counts): the rows are
not chained one by one, so that 100,000 orgs import in seconds. The file is the truth for the
columns it has: a blank short name clears it; a column left out of the file is left alone.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import reduce
from operator import or_
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.chain import hold_chain, record
from gongkai.bulk import batched, insert_rows
from gongkai.orgs import hooks
from gongkai.orgs.models import CODE_PATTERN, PATH_SEPARATOR, Org, OrgKind, build_path
from gongkai.orgs.permissions import Action, PermissionDenied, can, orgs_where
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
    Column("code", ("代码", "组织代码", "编码"), required=True),
    Column("name", ("名称", "组织名称"), required=True),
    Column("kind", ("组织类型", "类型"), required=True),
    Column("parent_code", ("上级代码", "上级组织代码", "parent"), required=True),
    Column("short_name", ("简称",)),
    Column("address", ("地址",)),
    Column("phone", ("电话", "联系电话")),
)
EXPORT_HEADERS = [c.field for c in COLUMNS]
OPTIONAL = ("short_name", "address", "phone")
LIMITS = {"name": 128, "short_name": 64, "address": 255, "phone": 32}
CODE_RE = re.compile(CODE_PATTERN)
PHONE_RE = re.compile(PHONE_PATTERN)
MAX_PATH = 1024
# A name no officer types: renamed or moved orgs wear it for a moment so that names swapped
# between siblings never collide on the unique constraint half-way through.
PARKED_PREFIX = "\u2063导入中\u2063"
CHUNK = 2000


class PermissionGate:
    """`can()` by org path, remembered: an import asks about the same few orgs many times.
    `actor=None` is the operator at the server console, who holds the database anyway."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self._memo: dict[tuple[Action, str | None], bool] = {}

    def may(self, action: Action, path: str | None) -> bool:
        if self.actor is None:
            return True
        key = (action, path)
        if key not in self._memo:
            self._memo[key] = can(self.actor, action, Org(path=path) if path is not None else None)
        return self._memo[key]


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def common_org(paths: Iterable[str]) -> Org | None:
    """The lowest org above (or at) all these paths: where an import's audit event belongs."""
    prefix: list[str] | None = None
    for path in paths:
        parts = path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR)
        if prefix is None:
            prefix = parts
        else:
            n = 0
            while n < min(len(prefix), len(parts)) and prefix[n] == parts[n]:
                n += 1
            prefix = prefix[:n]
        if not prefix:
            return None
    return Org.objects.filter(code=prefix[-1]).first() if prefix else None


def may_import_orgs(actor: Any) -> bool:
    """Whether the upload is offered at all; each row is still checked on its own org."""
    if actor is None or (actor.is_authenticated and actor.is_superuser):
        return True
    return orgs_where(actor, Action.ORG_CREATE_CHILD).exists() or \
        orgs_where(actor, Action.ORG_EDIT).exists()


@dataclass
class _Row:
    row: int
    code: str
    name: str
    kind_id: int | None
    kind_text: str
    parent_code: str
    optional: dict[str, str]  # only the optional columns present in the file
    parent_ok: bool = True


@dataclass
class _Db:
    id: int
    code: str
    name: str
    short_name: str
    kind_id: int
    path: str
    address: str
    phone: str
    is_active: bool

    @property
    def parent_code(self) -> str | None:
        parts = self.path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR)
        return parts[-2] if len(parts) > 1 else None


_DB_FIELDS = ("id", "code", "name", "short_name", "kind_id", "path", "address", "phone", "is_active")


def _load(codes: Iterable[str]) -> dict[str, _Db]:
    found: dict[str, _Db] = {}
    wanted = set(codes)
    # Two rounds: the orgs named, then their ancestors (cycle checks and paths walk up through
    # orgs the file does not name); every ancestor's code is in a loaded path.
    for _round in range(2):
        for chunk in batched(sorted(wanted), CHUNK):
            for values in Org.objects.filter(code__in=chunk).values_list(*_DB_FIELDS):
                found[values[1]] = _Db(*values)
        wanted = {c for o in found.values() for c in o.path.strip("/").split("/")} - set(found)
        if not wanted:
            break
    return found


class _KindIndex:
    """Kinds by code or Chinese name; also by each part of a name like “纪委 / 纪工委” when
    that part names one kind only."""

    def __init__(self) -> None:
        self.by_key: dict[str, OrgKind] = {}
        parts: dict[str, list[OrgKind]] = defaultdict(list)
        for kind in OrgKind.objects.all():
            self.by_key[kind.code.lower()] = kind
            self.by_key[self._norm(kind.name)] = kind
            for part in kind.name.split("/"):
                parts[self._norm(part)].append(kind)
        for key, kinds in parts.items():
            if len(kinds) == 1:
                self.by_key.setdefault(key, kinds[0])
        self.by_id = {k.pk: k for k in self.by_key.values()}

    @staticmethod
    def _norm(text: str) -> str:
        return re.sub(r"\s", "", text.replace("（", "(").replace("）", ")")).lower()

    def find(self, text: str) -> OrgKind | None:
        return self.by_key.get(text.lower()) or self.by_key.get(self._norm(text))


class _Check:
    """One pass over a file: parse, then the checks that need the whole file and the database."""

    def __init__(self, actor: Any, report: ImportReport) -> None:
        self.gate = PermissionGate(actor)
        self.report = report
        self.kinds = _KindIndex()
        self.rows: dict[str, _Row] = {}
        self.labels: dict[str, str] = {}
        self.db: dict[str, _Db] = {}
        self.paths: dict[str, str] = {}
        self.created: list[_Row] = []
        self.changed: list[tuple[_Row, _Db]] = []
        self.moved: list[_Db] = []
        self.descendants: list[tuple[int, str]] = []  # (id, new path) of subtrees moved along
        self.anchor_paths: list[str] = []
        self.bad_codes: set[str] = set()  # codes of rows that did not parse

    def error(self, row: int, column: str, message: str) -> None:
        self.report.errors.append(RowError(row, self.labels.get(column, column), message))

    # -- parsing -------------------------------------------------------------------------------
    def parse(self, rows: Iterator[tuple[int, list[str]]], values_of: Any) -> None:
        for number, cells in rows:
            self.report.rows += 1
            values: dict[str, str] = values_of(cells)
            self._parse_row(number, values)

    def _parse_row(self, number: int, v: dict[str, str]) -> None:
        code, name, kind_text = v["code"], v["name"], v["kind"]
        ok = True
        if not code:
            self.error(number, "code", _("请填写组织代码"))
            ok = False
        elif not CODE_RE.match(code):
            self.error(number, "code", _("组织代码格式不正确：只能由字母、数字、下划线、点和连字符组成，"
                                         "以字母或数字开头，最长40个字符"))
            ok = False
        elif code in self.rows:
            self.error(number, "code", _("组织代码在文件中重复：与第 %(n)s 行相同")
                       % {"n": self.rows[code].row})
            ok = False
        if not name:
            self.error(number, "name", _("请填写组织名称"))
        kind = self.kinds.find(kind_text) if kind_text else None
        if not kind_text:
            self.error(number, "kind", _("请填写组织类型"))
        elif kind is None:
            self.error(number, "kind", _("未知的组织类型：%(k)s") % {"k": kind_text})
        for column, limit in LIMITS.items():
            if len(v.get(column, "")) > limit:
                self.error(number, column, _("内容过长：最多 %(n)s 个字符") % {"n": limit})
        phone = v.get("phone", "")
        if phone and not PHONE_RE.match(phone):
            self.error(number, "phone", _("电话号码格式不正确：应为11位手机号或带区号的固定电话"
                                          "（如 0791-12345678）"))
        if not ok:
            self.bad_codes.add(code)
        else:
            self.rows[code] = _Row(number, code, name, kind.pk if kind else None, kind_text,
                                   v["parent_code"], {k: v[k] for k in OPTIONAL if k in v})

    # -- whole-file checks ---------------------------------------------------------------------
    def final_parent(self, code: str) -> str | None:
        row = self.rows.get(code)
        if row is not None:
            return row.parent_code or None
        return self.db[code].parent_code if code in self.db else None

    def relate(self) -> None:
        self.db = _load(set(self.rows) | {r.parent_code for r in self.rows.values() if r.parent_code})
        for row in self.rows.values():
            if not row.parent_code:
                continue
            if row.parent_code == row.code:
                self.error(row.row, "parent_code", _("上级代码不能是本组织自己的代码"))
                row.parent_ok = False
            elif row.parent_code in self.bad_codes and row.parent_code not in self.db:
                row.parent_ok = False  # its own row is reported already
            elif row.parent_code not in self.rows and row.parent_code not in self.db:
                self.error(row.row, "parent_code", _("上级组织不存在：%(c)s（文件和系统中都没有该代码）")
                           % {"c": row.parent_code})
                row.parent_ok = False
        self._find_cycles()
        self._resolve_paths()
        self._check_sibling_names()
        self._classify()

    def _find_cycles(self) -> None:
        state: dict[str, int] = {}  # 1 = on the current walk, 2 = resolved or broken
        self.broken: set[str] = set()
        for start in self.rows:
            chain: list[str] = []
            code: str | None = start
            while code is not None and state.get(code) != 2:
                if state.get(code) == 1:
                    self._report_cycle(chain[chain.index(code):])
                    self.broken.update(chain)
                    break
                state[code] = 1
                chain.append(code)
                row = self.rows.get(code)
                if row is not None and not row.parent_ok:
                    self.broken.update(chain)
                    break
                code = self.final_parent(code)
            else:
                if code is not None and code in self.broken:
                    self.broken.update(chain)
            for c in chain:
                state[c] = 2

    def _report_cycle(self, cycle: list[str]) -> None:
        loop = " → ".join([*cycle, cycle[0]])
        for code in cycle:
            row = self.rows.get(code)
            if row is None:
                continue
            current, parent = self.db.get(code), self.db.get(row.parent_code)
            if current and parent and parent.path.startswith(current.path):
                message = (_("不能把组织移到它自己的下级组织“%(p)s”之下（会形成循环）")
                           % {"p": row.parent_code})
            else:
                message = _("上级关系形成循环：%(loop)s") % {"loop": loop}
            self.error(row.row, "parent_code", message)

    def _path(self, code: str) -> str:
        chain: list[str] = []
        node: str | None = code
        while node is not None and node not in self.paths:
            chain.append(node)
            node = self.final_parent(node)
        base = self.paths[node] if node is not None else None
        for c in reversed(chain):
            base = build_path(base, c)
            self.paths[c] = base
        return self.paths[code]

    def _resolve_paths(self) -> None:
        for code, row in self.rows.items():
            if code in self.broken:
                continue
            if len(self._path(code)) > MAX_PATH:
                self.error(row.row, "parent_code", _("组织层级过深：路径超过 %(n)s 个字符") % {"n": MAX_PATH})
                self.broken.add(code)
        moved = [self.db[c] for c, r in self.rows.items()
                 if c not in self.broken and c in self.db
                 and self.final_parent(c) != self.db[c].parent_code]
        self.moved = moved
        if not moved:
            return
        # Orgs below a moved org that the file does not name move with it (their paths change).
        old_paths = sorted((o.path for o in moved), key=len, reverse=True)
        new_of = {o.path: self.paths[o.code] for o in moved}
        for chunk in batched(moved, 200):
            below = reduce(or_, [Q(path__startswith=org.path) for org in chunk])
            for pk, code, path in Org.objects.filter(below).values_list("id", "code", "path"):
                if code in self.rows:
                    continue
                top = next(p for p in old_paths if path.startswith(p))
                new_path = new_of[top] + path[len(top):]
                if len(new_path) > MAX_PATH:
                    mover = self.rows[top.strip("/").split("/")[-1]]
                    self.error(mover.row, "parent_code", _("移动后下级组织“%(c)s”的层级过深") % {"c": code})
                self.descendants.append((pk, new_path))

    def _check_sibling_names(self) -> None:
        groups: dict[tuple[str | None, str], list[str]] = defaultdict(list)
        parents = {self.final_parent(c) for c in self.rows if c not in self.broken}
        for code, row in self.rows.items():
            if code not in self.broken and row.name:
                groups[(self.final_parent(code), row.name)].append(code)
        named = [p for p in parents if p is not None]
        existing: list[tuple[str, str, str]] = []
        for chunk in batched(named, CHUNK):
            existing += Org.objects.filter(parent__code__in=chunk).values_list("code", "name", "path")
        if None in parents:
            existing += Org.objects.filter(parent__isnull=True).values_list("code", "name", "path")
        for code, name, path in existing:
            if code not in self.rows:
                parts = path.strip("/").split("/")
                groups[(parts[-2] if len(parts) > 1 else None, name)].append(code)
        for (_parent, name), codes in groups.items():
            if len(codes) < 2:
                continue
            for code in codes:
                in_file = self.rows.get(code)
                if in_file is None:
                    continue
                others = [(_("第 %(n)s 行") % {"n": self.rows[o].row}) if o in self.rows
                          else (_("系统中已有的组织 %(c)s") % {"c": o}) for o in codes if o != code]
                self.error(in_file.row, "name", _("同一上级组织下组织名称重复：“%(name)s”（另见%(o)s）")
                           % {"name": name, "o": "、".join(others)})

    def _anchor(self, code: str | None) -> _Db | None:
        """The nearest org at or above `code` (final tree) that exists already."""
        while code is not None and code not in self.db:
            code = self.final_parent(code)
        return self.db.get(code) if code is not None else None

    def _check_parent_right(self, row: _Row) -> None:
        parent = row.parent_code or None
        anchor = self._anchor(parent)
        if parent is None:
            if not self.gate.may(Action.ORG_CREATE_ROOT, None):
                self.error(row.row, "parent_code", _("只有系统管理员可以创建顶级组织（上级代码为空）"))
            return
        if anchor is None:
            # Under a new top org from the same file: that row's own check decides.
            return
        if not self.gate.may(Action.ORG_CREATE_CHILD, anchor.path):
            self.error(row.row, "parent_code", _("无权在上级组织 %(c)s 下新建或移入组织") % {"c": parent})
        elif parent in self.db and not self.db[parent].is_active:
            self.error(row.row, "parent_code", _("上级组织已撤销：%(c)s") % {"c": parent})
        self.anchor_paths.append(anchor.path)

    def _classify(self) -> None:
        for code, row in self.rows.items():
            if code in self.broken or row.kind_id is None:
                continue
            kind = self.kinds.by_id[row.kind_id]
            current = self.db.get(code)
            if current is None:
                self._check_parent_right(row)
                if not kind.is_active:
                    self.error(row.row, "kind", _("该组织类型已停用：%(k)s") % {"k": kind.name})
                self.created.append(row)
                continue
            self.anchor_paths.append(current.path)
            if not self.gate.may(Action.ORG_EDIT, current.path):
                self.error(row.row, "code", _("无权修改组织 %(c)s") % {"c": code})
                continue
            if self.final_parent(code) != current.parent_code:
                if not self.gate.may(Action.ORG_MOVE, current.path):
                    self.error(row.row, "parent_code", _("无权移动组织 %(c)s") % {"c": code})
                else:
                    self._check_parent_right(row)
            if row.kind_id != current.kind_id and not kind.is_active:
                self.error(row.row, "kind", _("该组织类型已停用：%(k)s") % {"k": kind.name})
            if self._differs(row, current):
                self.changed.append((row, current))
            else:
                self.report.unchanged += 1

    def _differs(self, row: _Row, current: _Db) -> bool:
        return (row.name != current.name or row.kind_id != current.kind_id
                or self.paths[row.code] != current.path
                or any(getattr(current, k) != v for k, v in row.optional.items()))


def _write(check: _Check) -> None:
    now = timezone.now()
    ids = {code: org.id for code, org in check.db.items()}
    parked = [cur.id for row, cur in check.changed
              if row.name != cur.name or check.paths[row.code] != cur.path]
    for chunk in batched(parked, CHUNK):
        Org.objects.filter(pk__in=chunk).update(name=Concat(Value(PARKED_PREFIX), F("code")))
    levels: dict[int, list[_Row]] = defaultdict(list)
    for row in check.created:
        levels[check.paths[row.code].count(PATH_SEPARATOR) - 2].append(row)
    columns = ("code", "name", "short_name", "kind_id", "parent_id", "path", "depth", "address",
               "phone", "office_hours", "email", "is_active", "sort_order", "created_at", "updated_at")
    for depth in sorted(levels):
        level = levels[depth]
        insert_rows(Org, columns, (
            (r.code, r.name, r.optional.get("short_name", ""), r.kind_id,
             ids[r.parent_code] if r.parent_code else None, check.paths[r.code], depth,
             r.optional.get("address", ""), r.optional.get("phone", ""), "", "", True, 0, now, now)
            for r in level))
        for codes in batched([r.code for r in level], CHUNK):
            ids.update(Org.objects.filter(code__in=codes).values_list("code", "id"))
    updates = []
    for row, cur in check.changed:
        path = check.paths[row.code]
        updates.append(Org(
            id=cur.id, name=row.name, kind_id=row.kind_id or cur.kind_id,
            short_name=row.optional.get("short_name", cur.short_name),
            address=row.optional.get("address", cur.address),
            phone=row.optional.get("phone", cur.phone),
            parent_id=ids[row.parent_code] if row.parent_code else None,
            path=path, depth=path.count(PATH_SEPARATOR) - 2, updated_at=now))
    Org.objects.bulk_update(updates, ["name", "kind", "short_name", "address", "phone", "parent",
                                      "path", "depth", "updated_at"], batch_size=1000)
    Org.objects.bulk_update(
        [Org(id=pk, path=path, depth=path.count(PATH_SEPARATOR) - 2) for pk, path in check.descendants],
        ["path", "depth"], batch_size=1000)


def import_orgs(*, actor: Any, data: bytes, file_name: str, dry_run: bool = False) -> ImportReport:
    """Create and update organisations from a spreadsheet (keyed by code); an org whose parent
    changed is moved with its whole subtree. Bad rows make the whole file change nothing."""
    if not may_import_orgs(actor):
        raise PermissionDenied(_("您无权导入组织"))
    report = ImportReport("orgs", Path(file_name).name, file_digest(data), dry_run)
    try:
        table = read_table(data, file_name)
        columns = map_columns(table.headers, COLUMNS)
        report.ignored_columns = columns.ignored
        if columns.errors:
            report.errors = columns.errors
            return report
        with transaction.atomic():
            if not dry_run:
                # One import at a time, and no other audited change in between: the tree the
                # rows were checked against is the tree they are written into.
                hold_chain()
            check = _Check(actor, report)
            check.labels = columns.labels
            check.parse(table.rows, columns.values)
            if not report.rows:
                report.errors.append(RowError(2, "", _("文件中没有数据行")))
            check.relate()
            report.errors.sort(key=lambda e: e.row)
            if report.errors:
                report.unchanged = 0
                return report
            report.created = len(check.created)
            report.updated = len(check.changed)
            report.details = {"moved": len(check.moved), "moved_below": len(check.descendants)}
            if dry_run:
                return report
            _write(check)
            # Moved subtrees: the apps above bring what they keep about positions up to date
            # (audience labels of published items), in this transaction.
            report.details.update(hooks.subtree_moved([check.paths[o.code] for o in check.moved]))
            record(actor=actor, action="import.orgs", object_type="import",
                   object_id=report.sha256[:16], object_repr=report.file_name,
                   org=common_org(check.anchor_paths),
                   new={"file_name": report.file_name, "sha256": report.sha256,
                        "rows": report.rows, "created": report.created,
                        "updated": report.updated, "unchanged": report.unchanged,
                        **report.details})
    except TableError as error:
        report.errors = [RowError(0, "", error.message)]
    except (IntegrityError, ValidationError):
        # Someone changed the same orgs between the check and the write: nothing was written.
        report.errors = [RowError(0, "", _("导入时与其他修改发生冲突，未导入任何数据，请稍后重试"))]
    return report


def export_orgs(*, actor: Any, target: str | Path | IO[bytes]) -> int:
    """Write the active orgs the actor may view, parents before children, in the import's
    columns (kind by its stable code), so that export -> import round-trips."""
    qs = Org.objects.all() if actor is None else orgs_where(actor, Action.ORG_VIEW)
    values = (qs.filter(is_active=True).order_by("path")
              .values_list("code", "name", "kind__code", "path", "short_name", "address", "phone")
              .iterator(chunk_size=5000))

    def rows() -> Iterator[list[str]]:
        for code, name, kind, path, short_name, address, phone in values:
            parts = path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR)
            yield [code, name, kind, parts[-2] if len(parts) > 1 else "", short_name, address, phone]

    with transaction.atomic():
        count = write_table(target, EXPORT_HEADERS, rows(), sheet_title="orgs")
        record(actor=actor, action="export.orgs", object_type="export", object_id="orgs",
               object_repr=_("导出组织"), new={"rows": count})
    return count
