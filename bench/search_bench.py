"""Chinese full-text search benchmark (gongkai.search): N documents of generated 党务公开 text,
the time to index them, query times (p50/p95) for rare, common, 2-character and 1-character terms
and for two terms, and every count compared with a plain LIKE scan of the same folded text.

    .venv/bin/python bench/search_bench.py [--docs 200000] [--runs 20]
        [--server postgres://postgres@127.0.0.1:5432] [--database gk_bench_search] [--keep]
    .venv/bin/python bench/search_bench.py --sqlite [--docs 20000]   # the embedded default

The database is created afresh (PostgreSQL: DROP/CREATE `--database`; SQLite: a file under
var/bench/) and migrated by `gongkai migrate`. Indexing runs in this process through
`indexing.index_many`, as `gongkai search reindex` does (tokens in Python, batched inserts), and is
what "index build" measures. A query is measured as the portal runs it (`queries.ranked`): the
first page of 20 ids, title hits first, and the total counted up to 1000; the exact count of
every match is measured once, beside a LIKE scan of the same folded text. Text is generated
from a seed vocabulary with a fixed seed: the same --docs gives the same corpus.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLACES = "东西南北中上下新老大小金石青白黄红龙凤桥湖山河塘坪岭溪田坑洲港林竹梅桃柳杨"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁"
GIVEN = "建国华明丽芳军伟敏静强磊洋艳勇杰娟涛超秀英平刚桂红文志海春小德宁"
ORGS = ["村党支部", "社区党委", "镇党委", "机关党支部", "党总支", "学校党支部", "卫生院党支部"]
TOPICS = [
    "党费收缴情况",
    "发展党员工作",
    "组织生活会召开情况",
    "“三会一课”落实情况",
    "民主评议党员结果",
    "党员教育培训计划",
    "村级财务收支情况",
    "惠民资金发放情况",
    "低保评审结果",
    "集体经济收益分配",
    "工程项目招投标结果",
    "党组织换届选举结果",
    "主题党日活动安排",
    "困难党员慰问情况",
    "党务公开目录",
]
KINDS = ["公示", "通知", "通报", "公告", "情况说明", "工作报告"]
SENTENCES = [
    "根据《中国共产党党务公开条例（试行）》和上级党组织有关要求，现将{topic}予以公开。",
    "{year}年{month}月{day}日，{place}{org}召开党员大会，应到党员{n}名，实到{m}名。",
    "会议由党组织书记{name}同志主持，传达学习了上级会议精神，研究部署了下一阶段工作。",
    "本次共收缴党费{money}元，已按规定全额上缴{place}镇党委。",
    "经支部委员会研究，拟确定{name}、{name2}同志为发展对象，现予以公示，公示期为{n}个工作日。",
    "公示期间，党员和群众如有异议，可通过来电、来信、来访等方式向{place}{org}反映。",
    "联系电话：0791-{phone}，联系人：{name}。",
    "{place}{org}认真落实“三会一课”制度，全年召开支部党员大会{n}次、支委会{m}次。",
    "村级集体经济收入{money}元，其中经营性收入{money2}元，主要用于基础设施建设和公益事业。",
    "为进一步加强基层党组织建设，提高党员队伍整体素质，结合本{org}实际，制定本计划。",
    "对照检查材料要求，班子成员逐一开展批评与自我批评，共查摆问题{n}条，制定整改措施{m}项。",
    "特此公示。",
    "各党员要充分认识党务公开工作的重要意义，自觉接受党员和群众监督。",
    "{place}{place2}片区道路硬化工程于{year}年{month}月开工，总投资{money}元。",
]
# Terms put into a known, small share of documents: the "rare" queries.
RARE = {"鄱阳湖": 0.0002, "赣江新区": 0.0001, "湿地保护": 0.0005}


def place(rng: random.Random) -> str:
    return rng.choice(PLACES) + rng.choice(PLACES)


def name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")


def sentence(rng: random.Random, template: str, org: str, topic: str) -> str:
    return template.format(
        topic=topic,
        year=rng.randint(2019, 2026),
        month=rng.randint(1, 12),
        day=rng.randint(1, 28),
        place=place(rng),
        place2=place(rng),
        org=org,
        n=rng.randint(3, 60),
        m=rng.randint(2, 40),
        name=name(rng),
        name2=name(rng),
        money=f"{rng.randint(1000, 900000):,}",
        money2=f"{rng.randint(100, 90000):,}",
        phone=rng.randint(1000000, 9999999),
    )


def documents(count: int, seed: int = 1) -> Iterator[object]:
    from gongkai.search.documents import Document

    rng = random.Random(seed)
    start = datetime(2019, 1, 1, tzinfo=UTC)
    for i in range(1, count + 1):
        org, topic = rng.choice(ORGS), rng.choice(TOPICS)
        title = f"关于{place(rng)}{org}{rng.randint(2019, 2026)}年{topic}的{rng.choice(KINDS)}"
        body = "\n".join(sentence(rng, rng.choice(SENTENCES), org, topic) for _ in range(rng.randint(6, 16)))
        for term, share in RARE.items():
            if rng.random() < share:
                body += f"\n本次工作涉及{term}范围内的相关事项。"
        yield Document(
            kind="disclosure",
            object_id=i,
            title=title,
            body=body,
            extra=f"{place(rng)}党发〔{rng.randint(2019, 2026)}〕{rng.randint(1, 99)}号",
            org_path=f"/c/t{i % 100}/v{i % 5000}/",
            category=topic[:6],
            scope=rng.choice(["public", "public", "party", "unit"]),
            published_at=start + timedelta(minutes=rng.randint(0, 8 * 365 * 24 * 60)),
        )


QUERIES = [
    ("rare", "鄱阳湖"),
    ("rare", "赣江新区"),
    ("rare", "湿地保护"),
    ("rare", "王建华"),
    ("common", "党员大会"),
    ("common", "公示"),
    ("common", "三会一课"),
    ("common", "党组织"),
    ("2-char", "党费"),
    ("2-char", "鄱阳"),
    ("2-char", "换届"),
    ("2-char", "集体"),
    ("2-char", "湖桥"),
    ("1-char", "党"),
    ("1-char", "鄱"),
    ("1-char", "湿"),
    ("2 terms", "党费 公示"),
    ("2 terms", "鄱阳湖 相关"),
    ("latin+digits", "0791"),
    ("punctuation", "〔2026〕1"),
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def like_count(query: str) -> tuple[int, float]:
    """The plain scan: every term as LIKE '%term%' over the folded text."""
    from django.db import connection

    from gongkai.search.text import parse

    terms = [t.text for t in parse(query).terms]
    escape = "\\"
    patterns = [
        "%" + t.replace(escape, escape * 2).replace("%", "\\%").replace("_", "\\_") + "%" for t in terms
    ]
    where = " AND ".join(["folded LIKE %s ESCAPE '\\'"] * len(patterns))
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM search_searchdocument WHERE kind = 'disclosure' AND {where}", patterns
        )
        row = cursor.fetchone()
    return int(row[0]), (time.perf_counter() - started) * 1000


def timed(fn: object, runs: int) -> tuple[list[float], object]:
    results: list[float] = []
    value = None
    for _ in range(runs):
        started = time.perf_counter()
        value = fn()  # type: ignore[operator]
        results.append((time.perf_counter() - started) * 1000)
    return results, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--docs", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--sqlite", action="store_true", help="SQLite under var/bench/ instead of PostgreSQL")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="gk_bench_search")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gongkai.settings"}
    if args.sqlite:
        var = ROOT / "var" / "bench" / "search-sqlite"
        var.mkdir(parents=True, exist_ok=True)
        (var / "gongkai.sqlite3").unlink(missing_ok=True)
        env.pop("GONGKAI_DATABASE_URL", None)
        env["GONGKAI_VAR_DIR"] = str(var)
    else:
        import psycopg

        with psycopg.connect(f"{args.server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
            conn.execute(f'CREATE DATABASE "{args.database}"')
        env["GONGKAI_DATABASE_URL"] = f"{args.server}/{args.database}"
    subprocess.run([sys.executable, "-m", "gongkai.cli", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
    os.environ.update(env)
    if args.sqlite:
        os.environ.pop("GONGKAI_DATABASE_URL", None)

    import django

    django.setup()
    from django.db import connection

    from gongkai.search import indexing, queries

    try:
        started = time.perf_counter()
        indexed = indexing.index_many(documents(args.docs))
        indexing.optimize()
        build = time.perf_counter() - started
        print(
            f"{connection.vendor}: indexed {indexed:,} documents in {build:.1f} s "
            f"({indexed / build:,.0f} docs/s, tokens in Python + batched inserts)",
            flush=True,
        )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT pg_size_pretty(pg_total_relation_size('search_searchdocument')), "
                    "pg_size_pretty(pg_relation_size('search_document_vector')), "
                    "avg(length(body))::int FROM search_searchdocument"
                )
                total, gin, avg = cursor.fetchone()
            else:
                cursor.execute("SELECT avg(length(body)) FROM search_searchdocument")
                avg = round(cursor.fetchone()[0])
                total = f"{Path(connection.settings_dict['NAME']).stat().st_size / 2**20:.0f} MB (whole file)"
                gin = "in it"
        print(f"table with indexes {total}, token index {gin}, average body {avg} characters")
        print(
            f"\n{'kind':<12} {'query':<10} {'matches':>8} {'LIKE':>8} {'page p50':>9} {'p95':>7} "
            f"{'count ms':>9} {'LIKE ms':>8}"
        )
        for kind, query in QUERIES:
            page_times, page = timed(
                lambda q=query: queries.ranked(queries.matching("disclosure", q), q, limit=20), args.runs
            )
            count_times, count = timed(lambda q=query: queries.matching("disclosure", q).count(), 1)
            expected, like_ms = like_count(query)
            flag = "" if count == expected else "  MISMATCH"
            print(
                f"{kind:<12} {query:<10} {count:>8,} {expected:>8,} {statistics.median(page_times):>8.1f}m "
                f"{percentile(page_times, 0.95):>6.1f}m {count_times[0]:>8.1f}m {like_ms:>8.1f}{flag}",
                flush=True,
            )
            assert isinstance(page, queries.Page) and len(page.ids) == min(20, expected)
            assert page.total == min(expected, queries.COUNT_CAP)
        if connection.vendor == "postgresql":
            for term in ("鄱阳湖", "公示"):
                matches = queries.matching("disclosure", term)
                docs = matches.filter(queries.in_title(term)).values_list("object_id", flat=True)[:20]
                sql, params = docs.query.sql_with_params()
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql, params)
                    plan = "\n  ".join(r[0] for r in cursor.fetchall())
                print(f"\nplan of the first page's title hits for {term}:\n  {plan}")
    finally:
        connection.close()
        if not args.sqlite and not args.keep:
            import psycopg

            with psycopg.connect(f"{args.server}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{args.database}"')


if __name__ == "__main__":
    main()
