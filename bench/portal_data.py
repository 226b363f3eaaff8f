"""Portal benchmark data on PostgreSQL: a large hierarchy with its people and published items.

    .venv/bin/python bench/portal_data.py [--db-url postgres://postgres@127.0.0.1:5432/gk_perf]
        [--orgs 100000] [--people 1000000] [--items 1000000] [--seed 20240701] [--today 2026-06-15]
        [--reset] [--no-search]

Smoke size (under a minute): --orgs 2000 --people 20000 --items 20000 --reset

What it writes (deterministic for one seed and one --today):
- organisations: a city committee over counties shaped like the demo county (bench/portal_world.py),
  with the org kinds of the seed migration, depth 3-5 at the leaves;
- people with their member and staff affiliations, the four role grants of every org (officer,
  reviewer, secrecy reviewer, leader) and a few supervisors per county;
- published items with realistic titles and bodies, mixed scopes, staged, scheduled, notices,
  display ends and withdrawals (bench/portal_items.py), each with its revision (current and
  published), index number, approved publish workflow, and its audience labels computed by
  gongkai.disclosures.gate.item_labels; the index sequences of every org and year;
- the search index, through gongkai.search.indexing.reindex (what `gongkai search reindex` runs).

The database is created when missing, as a copy of `<name>__migrated`, an empty database migrated
with the project's settings (GONGKAI_DATABASE_URL) and migrated again whenever the migrations
change; an existing one is migrated in place. It must hold no organisations yet: --reset drops and
recreates it.
Rows go in with COPY (gongkai.bulk.insert_rows) with foreign-key triggers off for this session
(session_replication_role = replica, the usual bulk-load setting); every foreign key of the
written tables is checked afterwards with one anti-join each, and the labels of a sample of items
are compared with what item_labels computes from the rows read back. Then VACUUM ANALYZE, as a
production database would be after a bulk load. Prints seconds and rows per phase.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from datetime import time as day_time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/gk_perf"
CHUNK = 50_000
WRITTEN_TABLES = (
    "orgs_org",
    "people_user",
    "orgs_affiliation",
    "orgs_rolegrant",
    "disclosures_disclosure",
    "disclosures_revision",
    "disclosures_workflow",
    "disclosures_audiencelabel",
    "disclosures_indexsequence",
    "search_searchdocument",
)


def admin_url(url: str) -> tuple[str, str]:
    """The maintenance database's URL on the same server, and the benchmark database's name."""
    parsed = urlparse(url)
    return urlunparse(parsed._replace(path="/postgres")), parsed.path.lstrip("/")


def migrate(url: str) -> None:
    env = {**os.environ, "GONGKAI_DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "gongkai.settings"}
    subprocess.run([sys.executable, "-m", "gongkai.cli", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)


def migrations_digest() -> str:
    """What the migrated schema depends on: our migration files and the installed Django and
    third-party apps (pinned, so their versions stand for their migrations)."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    for path in sorted((ROOT / "gongkai").glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    for package in ("Django", "django-axes"):
        digest.update(f"{package}=={version(package)}".encode())
    return digest.hexdigest()


def ensure_database(url: str, reset: bool) -> str:
    """Create the database when missing (or after --reset) as a copy of a migrated empty
    template, `<name>__migrated`, kept on the server and migrated again whenever the migrations
    change: CREATE DATABASE … TEMPLATE takes a second, migrating from scratch a quarter of the
    smoke run. An existing database is migrated in place."""
    admin, name = admin_url(url)
    template = f"{name}__migrated"
    digest = migrations_digest()
    with psycopg.connect(admin, autocommit=True) as conn:
        if reset:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None:
            migrate(url)
            return "migrated in place"
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", (template,)
        ).fetchone()
        fresh = row is None or row[0] != digest
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{template}"')
            migrate(urlunparse(urlparse(url)._replace(path=f"/{template}")))
            conn.execute(f"COMMENT ON DATABASE \"{template}\" IS '{digest}'")
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return f"created from {template}" + (" (migrated first)" if fresh else "")


@contextmanager
def indexes_built_after(tables: Iterable[str]) -> Iterator[None]:
    """Drop the tables' indexes that back no constraint, and build them again afterwards: one
    sort per index instead of an insertion per row (several times faster at a million rows; a
    GIN index the most). Primary keys and unique constraints stay and keep checking."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
            WHERE i.indrelid::regclass::text = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        """,
            [list(tables)],
        )
        definitions = cursor.fetchall()
        for name, _definition in definitions:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for _name, definition in definitions:
            cursor.execute(definition)


class Phases:
    def __init__(self) -> None:
        self.rows: list[tuple[str, float, str]] = []

    def run(self, name: str, step: Callable[[], str]) -> None:
        started = time.monotonic()
        print(f"  {name} …", end="", flush=True)
        detail = step()
        seconds = time.monotonic() - started
        self.rows.append((name, seconds, detail))
        print(f" {seconds:.1f} s  {detail}", flush=True)

    def table(self) -> None:
        print(f"\n{'phase':<28} {'seconds':>8}  rows")
        for name, seconds, detail in self.rows:
            print(f"{name:<28} {seconds:>8.1f}  {detail}")
        print(f"{'total':<28} {sum(s for _n, s, _d in self.rows):>8.1f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--db-url", default=DEFAULT_DB)
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20240701)
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="the day the data is made for (default: today); the same day gives the same data",
    )
    parser.add_argument("--reset", action="store_true", help="drop and recreate the database first")
    parser.add_argument("--no-search", action="store_true", help="leave the search index empty")
    args = parser.parse_args(argv)

    phases = Phases()
    started = time.monotonic()
    phases.run("database", lambda: prepare(args.db_url, args.reset))
    os.environ["GONGKAI_DATABASE_URL"] = args.db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()
    Generator(args, phases).run()
    phases.table()
    print(f"done in {time.monotonic() - started:.0f} s: {args.db_url}")


def prepare(url: str, reset: bool) -> str:
    how = ensure_database(url, reset)
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM orgs_org").fetchone()
    if row and row[0]:
        raise SystemExit(f"{url} already holds {row[0]} organisations: run again with --reset")
    return how


class Generator:
    def __init__(self, args: argparse.Namespace, phases: Phases) -> None:
        from django.utils import timezone

        self.args, self.phases = args, phases
        self.today = args.today or timezone.localdate()
        self.moment = timezone.make_aware(datetime.combine(self.today, day_time.min))

    def run(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            # Bulk load: foreign keys are checked once at the end (check_foreign_keys) instead of
            # by a trigger per row.
            cursor.execute("SET session_replication_role = replica")
            cursor.execute("SET synchronous_commit = off")
        self.phases.run("orgs", self.orgs)
        self.phases.run("people", self.people)
        self.phases.run("items", self.items)
        self.phases.run("sequences", self.set_sequences)
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
        self.phases.run("check foreign keys", check_foreign_keys)
        self.phases.run("check labels", self.check_labels)
        self.phases.run("notice ends", store_notice_ends)
        if self.args.no_search:
            print("  search index: skipped (--no-search)")
        else:
            self.phases.run("search index", fill_search_index)
        self.phases.run("vacuum analyze", vacuum_analyze)
        print("rows:", ", ".join(f"{t} {n:,}" for t, n in counts_of(WRITTEN_TABLES).items()))

    # -- phases ----------------------------------------------------------------------------

    def orgs(self) -> str:
        from django.db import transaction
        from portal_world import ORG_COLUMNS, build_orgs, org_rows

        from gongkai.bulk import insert_rows
        from gongkai.orgs.models import Org, OrgKind

        self.plan = build_orgs(self.args.orgs, self.args.seed)
        self.kind_ids = dict(OrgKind.objects.values_list("code", "id"))
        now = self.moment
        with transaction.atomic():
            count = insert_rows(
                Org,
                (*ORG_COLUMNS, "email", "is_active", "created_at", "updated_at"),
                ((*row, "", True, now, now) for row in org_rows(self.plan, self.kind_ids)),
            )
        depths: dict[int, int] = {}
        for o in self.plan:
            depths[o.depth] = depths.get(o.depth, 0) + 1
        leaves = {o.depth for o in self.plan if not o.children}
        return (
            f"{count:,} orgs (by depth {', '.join(f'{d}: {n:,}' for d, n in sorted(depths.items()))}; "
            f"leaves at depth {min(leaves)}-{max(leaves)})"
        )

    def people(self) -> str:
        from django.db import transaction
        from portal_world import person_rows, plan_people

        from gongkai.bulk import insert_rows
        from gongkai.orgs.models import Affiliation, RoleGrant
        from gongkai.people.models import User

        self.crowd = plan_people(self.plan, self.args.people, self.args.seed)
        now = self.moment
        with indexes_built_after(("people_user", "orgs_affiliation", "orgs_rolegrant")), transaction.atomic():
            users = insert_rows(
                User,
                (
                    "id",
                    "password",
                    "is_superuser",
                    "username",
                    "real_name",
                    "phone",
                    "email",
                    "is_active",
                    "is_staff",
                    "date_joined",
                ),
                (
                    # "!" marks an unusable password (as set_unusable_password leaves it).
                    (pk, "!", False, username, real_name, phone, email, True, False, now)
                    for pk, (username, real_name, phone, email) in enumerate(
                        person_rows(self.crowd.count, self.args.seed), start=1
                    )
                ),
            )
            affiliations = insert_rows(
                Affiliation,
                ("person_id", "org_id", "kind", "created_at"),
                ((p, o, k, now) for p, o, k in self.crowd.affiliations),
            )
            grants = insert_rows(
                RoleGrant,
                ("person_id", "org_id", "role", "granted_at"),
                ((p, o, r, now) for p, o, r in self.crowd.grants),
            )
        return f"{users:,} people, {affiliations:,} affiliations, {grants:,} role grants"

    def items(self) -> str:
        from django.db import transaction
        from portal_items import (
            DISCLOSURE_COLUMNS,
            LABEL_COLUMNS,
            REVISION_COLUMNS,
            WORKFLOW_COLUMNS,
            ChainIds,
            ItemMaker,
            labels_from_plan,
        )

        from gongkai.bulk import insert_rows
        from gongkai.catalogue.templates import read_templates
        from gongkai.disclosures.models import AudienceLabel, Disclosure, IndexSequence, Revision, Workflow

        rows_by_kind: dict[str, list[dict[str, Any]]] = {}
        for template in read_templates():
            for kind in template.kinds:
                rows_by_kind[kind] = template.rows
            if template.code == "grassroots":
                rows_by_kind["*"] = template.rows
        maker = ItemMaker(self.plan, self.kind_ids, self.crowd, rows_by_kind, self.today, self.args.seed)
        self.chain = ChainIds(self.plan)
        counts = {"items": 0, "labels": 0}
        skeleton = maker.skeleton(self.args.items)
        tables = (
            "disclosures_disclosure",
            "disclosures_revision",
            "disclosures_workflow",
            "disclosures_audiencelabel",
        )
        with indexes_built_after(tables), transaction.atomic(), labels_from_plan(self.chain):
            for chunk in maker.chunks(skeleton, 1, CHUNK):
                counts["items"] += insert_rows(Disclosure, DISCLOSURE_COLUMNS, chunk.disclosures)
                insert_rows(Revision, REVISION_COLUMNS, chunk.revisions)
                insert_rows(Workflow, WORKFLOW_COLUMNS, chunk.workflows)
                counts["labels"] += insert_rows(AudienceLabel, LABEL_COLUMNS, chunk.labels)
            insert_rows(
                IndexSequence,
                ("org_id", "year", "series", "last"),
                [(org, year, "index", last) for (org, year), last in sorted(maker.sequences.items())],
            )
        total = max(1, counts["items"])
        mix = ", ".join(
            f"{k} {v / total:.1%}" for k, v in sorted(maker.tally.scopes.items(), key=lambda p: -p[1])
        )
        kinds = ", ".join(f"{k} {v:,}" for k, v in sorted(maker.tally.kinds.items(), key=lambda p: -p[1]))
        return (
            f"{counts['items']:,} items (+ as many revisions and workflows), {counts['labels']:,} labels; "
            f"scopes: {mix}; kinds: {kinds}"
        )

    def set_sequences(self) -> str:
        from django.db import connection

        with connection.cursor() as cursor:
            for table in WRITTEN_TABLES:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"GREATEST((SELECT max(id) FROM {table}), 1))"
                )
        return "identity sequences past the ids written"

    def check_labels(self) -> str:
        """The stored labels of a sample of items equal what gate.item_labels computes from the
        item and revision read back, with its own database query for the org chain; and the
        in-memory chain agreed with that query for a sample of orgs."""
        from gongkai.disclosures import gate
        from gongkai.disclosures.models import Disclosure
        from gongkai.orgs.models import Org

        rng = random.Random(self.args.seed)
        orgs = Org.objects.filter(pk__in=rng.sample(range(1, len(self.plan) + 1), min(300, len(self.plan))))
        for org in orgs:
            assert gate._chain_ids(org) == self.chain(org), org.code
        sample = rng.sample(range(1, self.args.items + 1), min(500, self.args.items))
        checked = 0
        for item in (
            Disclosure.objects.filter(pk__in=sample)
            .select_related("org", "current")
            .prefetch_related("labels")
        ):
            assert item.current is not None
            expected = set(gate.item_labels(item, item.current))
            stored = {(label.label, label.starts_at) for label in item.labels.all()}
            assert stored == expected, (item.index_number, stored ^ expected)
            checked += 1
        return f"{checked} items' labels and {len(orgs)} orgs' chains as the gate computes them"


def check_foreign_keys() -> str:
    """Every single-column foreign key of the written tables points at a row (the load ran
    without the per-row triggers)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, af.attname
            FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
            WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 AND c.conrelid::regclass::text = ANY(%s)
        """,
            [list(WRITTEN_TABLES)],
        )
        keys = cursor.fetchall()
        broken = []
        for table, column, target, target_column in keys:
            cursor.execute(
                f"SELECT count(*) FROM {table} t WHERE t.{column} IS NOT NULL AND NOT EXISTS "
                f"(SELECT 1 FROM {target} r WHERE r.{target_column} = t.{column})"
            )
            missing = cursor.fetchone()[0]
            if missing:
                broken.append(f"{table}.{column}: {missing}")
    if broken:
        raise SystemExit("foreign keys pointing nowhere: " + "; ".join(broken))
    return f"{len(keys)} foreign keys, none broken"


def store_notice_ends() -> str:
    """The stored end of every notice's period (what publishing stores; the portal reads it)."""
    from gongkai.disclosures import notices

    return f"{notices.recompute_since():,} notices"


def fill_search_index() -> str:
    """The search app's own rebuild (gongkai search reindex): the provider disclosures
    registered yields every published, not withdrawn item."""
    from gongkai.search import hooks, indexing

    if "disclosure" not in hooks.providers():
        # The hook for a search app without a provider: nothing to fill yet.
        return "no 'disclosure' provider registered: index left empty"
    with indexes_built_after(["search_searchdocument"]):
        counts = indexing.reindex(["disclosure"])
    return f"{counts['disclosure']:,} documents"


def vacuum_analyze() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return "planner statistics and visibility map up to date"


def counts_of(tables: Iterable[str]) -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        out = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {table}")
            out[table] = cursor.fetchone()[0]
    return out


if __name__ == "__main__":
    main()
