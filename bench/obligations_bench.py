"""Obligations benchmark on PostgreSQL: 100,000 orgs, each with a catalogue in force of 30
entries, then `gongkai obligations derive --year 2026` (what is measured), the same again
(idempotent: nothing to do), and a holiday-schedule change that recomputes every open deadline.

    .venv/bin/python bench/obligations_bench.py [--orgs 100000] [--entries 30] [--monthly 0]
        [--server postgres://postgres@127.0.0.1:5432] [--database gk_bench_ob] [--keep]

The 30 entries follow the mix of the grassroots template (seed 001 §三(二), 002): its periodic
and standing rows first, then prompt rows (owed per event, so they derive nothing). --monthly N
turns the first N entries into monthly rules, for a heavier load. Set-up (orgs, catalogues,
entries) is written straight with COPY and is not what is measured; each measured step runs
as its own `gongkai` process, and the script prints seconds, rows/s and peak RSS.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from psycopg.types.json import Jsonb

ROOT = Path(__file__).resolve().parent.parent


def run_measured(name: str, args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "gongkai.cli", *args], env=env, cwd=ROOT,  # noqa: S603
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    output = process.stdout.read().decode()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.stderr.write(output[-4000:])
        raise SystemExit(f"step {name!r} failed")
    return seconds, usage.ru_maxrss / 1024, output.strip()


def entry_rows(count: int, monthly: int) -> list[dict[str, object]]:
    import yaml

    data = yaml.safe_load((ROOT / "gongkai/catalogue/template_data/grassroots.yaml").read_text("utf-8"))
    rows = data["rows"]
    timed = [r for r in rows if r["timing"]["kind"] in ("periodic", "standing")]
    event = [r for r in rows if r["timing"]["kind"] not in ("periodic", "standing")]
    chosen = (timed + event)[:count]
    for row in chosen[:monthly]:
        row["timing"] = {"kind": "periodic", "period": "monthly", "within_workdays": 10}
    return chosen


def set_up(dsn: str, orgs: int, entries: list[dict[str, object]]) -> None:
    """Orgs (a county, 100 towns, the rest villages), one catalogue each, version 1 in force
    since 5 January 2026, `entries` rows each: straight into the tables with COPY."""
    since = datetime(2026, 1, 5, 1, tzinfo=UTC)
    with psycopg.connect(dsn) as conn:
        kinds = dict(conn.execute("SELECT code, id FROM orgs_orgkind").fetchall())
        with conn.cursor().copy(
                "COPY orgs_org (id, code, name, kind_id, parent_id, path, depth, is_active, short_name, "
                "phone, email, address, office_hours, sort_order, created_at, updated_at) "
                "FROM STDIN") as copy:
            now = datetime.now(UTC)
            copy.write_row((1, "c", "县委", kinds["county_committee"], None, "/c/", 0, True, "", "", "",
                            "", "", 0, now, now))
            towns = min(100, max(1, orgs // 100))
            for t in range(towns):
                copy.write_row((2 + t, f"t{t}", f"乡镇{t}党委", kinds["town_committee"], 1, f"/c/t{t}/", 1,
                                True, "", "", "", "", "", 0, now, now))
            for i in range(2 + towns, orgs + 1):
                t = i % towns
                copy.write_row((i, f"v{i}", f"村{i}党支部", kinds["village"], 2 + t, f"/c/t{t}/v{i}/", 2,
                                True, "", "", "", "", "", 0, now, now))
        conn.execute("SELECT setval(pg_get_serial_sequence('orgs_org', 'id'), %s)", (orgs,))
        with conn.cursor().copy("COPY catalogue_catalogue (id, org_id, created_at) FROM STDIN") as copy:
            for i in range(1, orgs + 1):
                copy.write_row((i, i, since))
        with conn.cursor().copy(
                "COPY catalogue_catalogueversion (id, catalogue_id, number, status, change_explanation, "
                "created_at, updated_at, approval_opinion, filed_at, acknowledged_at, acknowledge_opinion, "
                "return_comment) FROM STDIN") as copy:
            for i in range(1, orgs + 1):
                copy.write_row((i, i, 1, "in_force", "", since, since, "", since, since, "", ""))
        with conn.cursor().copy(
                "COPY catalogue_entry (version_id, position, number, category, item, content, responsible, "
                "scope, targets, timing, channels, notice_workdays, basis, remarks, wider_scope_reason, "
                "template_row_number) FROM STDIN") as copy:
            prepared = [(str(r["number"]), r["category"], r["item"], r["content"], r["responsible"],
                         r["scope"], r.get("targets") or "", Jsonb(r["timing"]), Jsonb(r["channels"]),
                         r.get("notice_workdays"), r.get("basis") or "", r.get("remarks") or "", "")
                        for r in entries]
            for version in range(1, orgs + 1):
                for position, p in enumerate(prepared, start=1):
                    copy.write_row((version, position, *p[:12], p[12], p[0]))
        conn.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=30)
    parser.add_argument("--monthly", type=int, default=0, help="make the first N entries monthly")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="gk_bench_ob")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
        conn.execute(f'CREATE DATABASE "{args.database}"')
    dsn = f"{args.server}/{args.database}"
    env = {**os.environ, "GONGKAI_DATABASE_URL": dsn, "DJANGO_SETTINGS_MODULE": "gongkai.settings"}
    schedule = ROOT / "var" / "bench" / "holidays-2026.csv"
    schedule.parent.mkdir(parents=True, exist_ok=True)
    try:
        run_measured("migrate", ["migrate", "-v", "0"], env)
        entries = entry_rows(args.entries, args.monthly)
        started = time.monotonic()
        set_up(dsn, args.orgs, entries)
        print(f"set-up: {args.orgs} orgs × {len(entries)} entries in {time.monotonic() - started:.1f} s "
              f"(not measured)", flush=True)
        # Every 2026 exception the package knows, plus one more day off: 9 October 2026.
        lines = ["日期,类型,节日"]
        out = subprocess.run([sys.executable, "-m", "gongkai.cli", "workdays", "show", "2026"],
                             env=env, cwd=ROOT, capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[0].startswith("2026-"):
                kind = "workday" if parts[2] == "调休上班" else "holiday"
                lines.append(f"{parts[0]},{kind},{parts[3] if len(parts) > 3 else ''}")
        lines.append("2026-10-09,holiday,测试")
        schedule.write_text("\n".join(lines) + "\n", "utf-8")

        steps = [
            ("derive 2026", ["obligations", "derive", "--year", "2026"]),
            ("derive 2026 again (nothing to do)", ["obligations", "derive", "--year", "2026"]),
            ("schedule change: recompute open deadlines",
             ["workdays", "load", str(schedule), "--year", "2026", "--note", "bench"]),
        ]
        for name, step in steps:
            seconds, rss, output = run_measured(name, step, env)
            print(f"  {name}: {seconds:.1f} s, peak RSS {rss:.0f} MB — {output.splitlines()[-1]}", flush=True)
        with psycopg.connect(dsn) as conn:
            total = conn.execute("SELECT count(*) FROM catalogue_obligation").fetchone()
            moved = conn.execute(
                "SELECT new->>'changed' FROM audit_auditevent WHERE action = 'obligations.recompute' "
                "ORDER BY seq DESC LIMIT 1").fetchone()
        print(f"obligations stored: {total[0] if total else 0:,}; moved by the schedule change: "
              f"{moved[0] if moved else 0}")
    finally:
        if not args.keep:
            with psycopg.connect(f"{args.server}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{args.database}"')


if __name__ == "__main__":
    main()
