"""Portal load test: `gongkai serve` (gunicorn) on the benchmark database, driven by wrk.

    .venv/bin/python bench/portal_load.py [--db-url postgres://postgres@127.0.0.1:5432/gk_perf]
        [--workers 2] [--threads 4] [--connections 2] [--duration 30] [--warmup 5] [--port 8077]
        [--pages home,org,item,static-item,raw-item,search-rare,search-common,my,feed]

Data first: bench/portal_data.py. For every page type the script runs wrk for --warmup seconds
(discarded), then for --duration seconds, each request a random URL of the type's list:

    home           /                                   anonymous
    org            /orgs/<code>/                        random organisations, anonymous
    item           /items/<index number>/               random public live items, anonymous
    static-item    /__bench/static-item                 one item page's bytes from a trivial view
    raw-item       /__bench/raw-item                    the same bytes before any middleware
    search-rare    /search/?q=<term>                    terms found in a handful of items
    search-common  /search/?q=<term>                    terms found in most items
    my             /me/disclosures/                     random plain party members, signed in
    feed           /orgs/<code>/feed.rss                random organisations
    feed-all       /feed.rss                            the whole site's feed

Why wrk and not locust: on this 2-core machine the load generator shares the CPU with gunicorn
and PostgreSQL. wrk (C, epoll, Debian package) drives a few thousand requests per second from a
fraction of one core; locust's Python workers would take a core of their own and distort what is
measured. wrk's Lua hook picks each request's URL from the list file (bench/portal_load.lua).

Server time comes from the server itself: bench/portal_settings.py serves the application with
one middleware in front (bench/portal_bench_app.py) that files each labelled request's time from
entering Django to the finished response; p50/p95 are computed from those files. wrk's own
latency (client side: socket and queueing included) is shown next to it. Requests per second are
wrk's. Before the load, every URL of every list is fetched once: anything but a 200 is left out of
the list and reported (so a page that 404s is not measured as a fast page).

The member page is compared with the bare SQL of its list: EXPLAIN ANALYZE (planning + execution,
best of three) of portal.queries.my_items(member)[:20] (the page's own list query) and of
gate.visible_to(member) newest first [:20] (the visibility query alone), for the same members.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/gk_perf"
ALL_PAGES = (
    "home",
    "org",
    "item",
    "static-item",
    "raw-item",
    "search-rare",
    "search-common",
    "my",
    "feed",
    "feed-all",
)
# p95 targets of issue 5 §8, in ms; the reference pages have none.
TARGETS = {
    "home": 50,
    "org": 50,
    "item": 50,
    "search-rare": 50,
    "search-common": 100,
    "my": 50,
    "feed": 50,
    "feed-all": 50,
}
MEMBER_SQL_RATIO = 10
COMMON_CANDIDATES = ("党支部", "公开", "党员", "工作", "情况", "党组织")
SAMPLE = {"org": 500, "item": 1000, "feed": 500, "members": 50, "sql_members": 20, "rare": 20}


@dataclass
class Result:
    page: str
    urls: int = 0
    rps: float = 0.0
    client: dict[str, float] = field(default_factory=dict)
    server: list[float] = field(default_factory=list)
    non_2xx: int = 0
    errors: str = ""
    note: str = ""


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (no interpolation)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


# -- choosing what to request -------------------------------------------------------------------


def setup_django(db_url: str) -> None:
    os.environ["GONGKAI_DATABASE_URL"] = db_url
    os.environ["GONGKAI_DEBUG"] = "false"
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal_settings"
    import django

    django.setup()


def choose_urls(
    rng: random.Random, search_path: str
) -> tuple[dict[str, list[str]], dict[str, str], list[Any]]:
    """URL lists per page type, notes, and the members signed in for `my`."""
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Max
    from django.urls import Resolver404, resolve

    from gongkai.disclosures import gate
    from gongkai.disclosures.models import Disclosure
    from gongkai.orgs.models import Affiliation, AffiliationKind, Org, RoleGrant
    from gongkai.people.models import User

    lists: dict[str, list[str]] = {
        "home": ["/"],
        "static-item": ["/__bench/static-item"],
        "raw-item": ["/__bench/raw-item"],
        "feed-all": ["/feed.rss"],
    }
    notes: dict[str, str] = {}
    top = Org.objects.aggregate(m=Max("pk"))["m"] or 0
    ids = rng.sample(range(1, top + 1), min(top, SAMPLE["org"]))
    codes = list(Org.objects.filter(pk__in=ids).order_by("pk").values_list("code", flat=True))
    lists["org"] = [f"/orgs/{c}/" for c in codes]
    lists["feed"] = [f"/orgs/{c}/feed.rss" for c in codes]

    top = Disclosure.objects.aggregate(m=Max("pk"))["m"] or 0
    ids = rng.sample(range(1, top + 1), min(top, SAMPLE["item"] * 2))
    numbers = list(
        gate.visible_to(AnonymousUser())
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("index_number", flat=True)[: SAMPLE["item"]]
    )
    lists["item"] = [f"/items/{n}/" for n in numbers]

    try:
        resolve(search_path)
        rare, common = search_terms(rng)
        lists["search-rare"] = [f"{search_path}?q={quote(t)}" for t, _n in rare]
        lists["search-common"] = [f"{search_path}?q={quote(t)}" for t, _n in common]
        notes["search-rare"] = (
            "terms: " + " ".join(f"{t}({n})" for t, n in rare[:6]) + (" …" if len(rare) > 6 else "")
        )
        notes["search-common"] = "terms: " + " ".join(f"{t}({n:,})" for t, n in common)
    except Resolver404:
        notes["search-rare"] = notes["search-common"] = f"not measured: no page at {search_path} yet"

    # Plain party members: a member affiliation and no role anywhere.
    top = User.objects.aggregate(m=Max("pk"))["m"] or 0
    ids = rng.sample(range(1, top + 1), min(top, SAMPLE["members"] * 20))
    holders = set(RoleGrant.objects.filter(person_id__in=ids).values_list("person_id", flat=True))
    plain = sorted(
        set(
            Affiliation.objects.filter(person_id__in=ids, kind=AffiliationKind.MEMBER).values_list(
                "person_id", flat=True
            )
        )
        - holders
    )
    members = list(User.objects.filter(pk__in=plain[: SAMPLE["members"]]).order_by("pk"))
    lists["my"] = [f"/me/disclosures/\t{settings.SESSION_COOKIE_NAME}={session_for(m)}" for m in members]
    mark_some_read(members)
    return lists, notes, members


def search_terms(rng: random.Random) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Common terms: found in at least a fifth of the documents. Rare ones: names of random
    villages and schools found in at least one document and at most 1 in 5,000 (or 30)."""
    from gongkai.orgs.models import Org
    from gongkai.search.models import SearchDocument
    from gongkai.search.queries import matching

    total = SearchDocument.objects.filter(kind="disclosure").count()
    common = [(t, matching("disclosure", t).count()) for t in COMMON_CANDIDATES]
    common = [(t, n) for t, n in common if n >= total / 5]
    names = list(
        Org.objects.filter(kind__code__in=["village", "community", "institution"])
        .values_list("short_name", flat=True)
        .order_by("pk")[:5000]
    )
    rng.shuffle(names)
    rare: list[tuple[str, int]] = []
    seen: set[str] = set()
    for name in names:
        if len(rare) >= SAMPLE["rare"] or len(seen) >= 200:
            break
        if name in seen:
            continue
        seen.add(name)
        count = matching("disclosure", name).count()
        if 1 <= count <= max(30, total // 5000):
            rare.append((name, count))
    return rare, common


def session_for(user: Any) -> str:
    """A signed-in session, made by Django's session engine as login() would make it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    assert session.session_key is not None
    return session.session_key


def mark_some_read(members: list[Any]) -> None:
    """Every other item of each member's first page read (the portal's own action), so the
    page shows both read and unread items."""
    from gongkai.portal import actions, queries

    for member in members:
        for item in list(queries.my_items(member)[:20])[::2]:
            actions.mark_read(user=member, item=item)


# -- bare SQL -----------------------------------------------------------------------------------


def explain_ms(qs: Any, runs: int = 3) -> float:
    from django.db import connection

    sql, params = qs.query.sql_with_params()
    best = float("inf")
    with connection.cursor() as cursor:
        for _ in range(runs):
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            best = min(best, plan[0]["Planning Time"] + plan[0]["Execution Time"])
    return best


def member_sql(members: list[Any]) -> dict[str, list[float]]:
    from gongkai.disclosures import gate
    from gongkai.portal import queries
    from gongkai.portal.http import PER_PAGE

    out: dict[str, list[float]] = {"my_items": [], "visible_to": [], "addressed": []}
    for member in members[: SAMPLE["sql_members"]]:
        out["addressed"].append(queries.my_items(member).count())
        out["my_items"].append(explain_ms(queries.my_items(member)[:PER_PAGE]))
        out["visible_to"].append(
            explain_ms(gate.visible_to(member).order_by("-go_live_at", "-id")[:PER_PAGE])
        )
    return out


# -- the server and the load --------------------------------------------------------------------


class Server:
    """`gongkai serve` with the bench settings, in a process group of its own (stopped by that
    group's id, nothing else)."""

    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.base = f"http://127.0.0.1:{args.port}"
        self.log = (work / "server.log").open("wb")
        env = {
            **os.environ,
            "GONGKAI_DATABASE_URL": args.db_url,
            "GONGKAI_DEBUG": "false",
            "DJANGO_SETTINGS_MODULE": "portal_settings",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(BENCH), os.environ.get("PYTHONPATH")])),
            "BENCH_TIMING_DIR": str(work / "timing"),
            "BENCH_ITEM_FILE": str(work / "item.html"),
        }
        command = [
            sys.executable,
            "-m",
            "gongkai.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(args.port),
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
        ]
        self.process = subprocess.Popen(  # noqa: S603 -- our own interpreter and arguments
            command,
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server stopped (exit {self.process.returncode}): see {self.log.name}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.5)
        raise SystemExit(f"the server did not answer /healthz within {timeout:.0f} s: see {self.log.name}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer of its own here (a 302 to the login page is not the member page)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(base: str, line: str) -> tuple[int, bytes]:
    path, _tab, cookie = line.partition("\t")
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    try:
        with OPENER.open(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def keep_answering(base: str, lists: dict[str, list[str]], notes: dict[str, str], pages: list[str]) -> None:
    """Fetch every URL once (also warming the database's cache); keep those that answer 200."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        for page, lines in lists.items():
            if page in ("static-item", "raw-item") or page not in pages:
                continue
            statuses = list(pool.map(lambda line: fetch(base, line)[0], lines))
            kept = [line for line, status in zip(lines, statuses, strict=True) if status == 200]
            if len(kept) < len(lines):
                counts: dict[int, int] = {}
                for status in statuses:
                    counts[status] = counts.get(status, 0) + 1
                dropped = ", ".join(f"{n} × {s}" for s, n in sorted(counts.items()) if s != 200)
                notes[page] = (notes.get(page, "") + f"; left out {dropped} of {len(lines)}").lstrip("; ")
            lists[page] = kept


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def run_wrk(args: argparse.Namespace, base: str, list_file: Path, label: str, seconds: int) -> Result:
    command = [
        "wrk",
        "-t",
        str(args.wrk_threads),
        "-c",
        str(args.connections),
        "-d",
        f"{seconds}s",
        "--latency",
        "--timeout",
        "30s",
        "-s",
        str(BENCH / "portal_load.lua"),
        base,
        "--",
        str(list_file),
        label,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    result = Result(page=label)
    if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result.rps = float(match.group(1))
    for share, value, unit in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M):
        result.client[share] = float(value) * UNITS[unit]
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        result.non_2xx = int(match.group(1))
    if match := re.search(r"Socket errors: (.*)", output):
        result.errors = match.group(1)
    return result


def server_times(timing_dir: Path) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    for path in timing_dir.glob("timing-*.tsv"):
        for line in path.read_text().splitlines():
            label, ms, _status = line.split("\t")
            times.setdefault(label, []).append(float(ms))
    return times


# -- the report ---------------------------------------------------------------------------------


def report(
    results: list[Result], notes: dict[str, str], sql: dict[str, list[float]], args: argparse.Namespace
) -> None:
    print(
        f"\n{'page':<14} {'URLs':>5} {'req/s':>8} {'server p50':>11} {'p95':>8} {'client p50':>11} {'p99':>8}"
        f" {'non-2xx':>8}  target p95"
    )
    for r in results:
        target = TARGETS.get(r.page)
        p95 = percentile(r.server, 0.95)
        verdict = "" if target is None else f"≤ {target} ms {'OK' if p95 <= target else 'MISSED'}"
        print(
            f"{r.page:<14} {r.urls:>5} {r.rps:>8.1f} {percentile(r.server, 0.5):>9.1f}ms {p95:>6.1f}ms"
            f" {r.client.get('50', float('nan')):>9.1f}ms {r.client.get('99', float('nan')):>6.1f}ms"
            f" {r.non_2xx:>8}  {verdict}"
        )
    for page, note in notes.items():
        print(f"  {page}: {note}")
    by_page = {r.page: r for r in results}
    item = by_page.get("item")
    for reference in ("static-item", "raw-item"):
        other = by_page.get(reference)
        if item and other and other.rps:
            ratio = item.rps / other.rps
            print(f"item page / {reference}: {item.rps:.1f} / {other.rps:.1f} req/s = {ratio:.2f}")
    if sql["addressed"]:
        print(
            f"  my: items addressed to a member p50 {statistics.median(sql['addressed']):.0f}, "
            f"max {max(sql['addressed'])} ({len(sql['addressed'])} members)"
        )
    my = by_page.get("my")
    if my and sql["visible_to"]:
        page_ms = percentile(my.server, 0.5)
        for name, values in (
            ("visible_to(member) list", sql["visible_to"]),
            ("my_items(member) list", sql["my_items"]),
        ):
            bare = statistics.median(values)
            ratio = page_ms / bare if bare else float("nan")
            verdict = "OK" if ratio <= MEMBER_SQL_RATIO else "MISSED"
            print(
                f"member page server p50 {page_ms:.1f} ms / bare SQL of {name} p50 {bare:.2f} ms "
                f"(p95 {percentile(values, 0.95):.2f} ms, {len(values)} members) = {ratio:.1f}x "
                f"(target ≤ {MEMBER_SQL_RATIO}x: {verdict})"
            )
    print(
        f"\nserver: gongkai serve --workers {args.workers} --threads {args.threads}; "
        f"wrk -t {args.wrk_threads} -c {args.connections}, {args.warmup} s warm-up + {args.duration} s "
        f"per page; {os.cpu_count()} CPUs, load average before the run {args.load_before}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--db-url", default=DEFAULT_DB)
    parser.add_argument("--port", type=int, default=8077)
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn workers (gongkai serve's default: 2)"
    )
    parser.add_argument(
        "--threads", type=int, default=4, help="threads per worker (gongkai serve's default: 4)"
    )
    parser.add_argument("--connections", type=int, default=2, help="wrk connections, i.e. requests in flight")
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--duration", type=int, default=30, help="seconds measured per page type")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of discarded load per page type first")
    parser.add_argument("--pages", default=",".join(ALL_PAGES))
    parser.add_argument("--seed", type=int, default=20240701)
    parser.add_argument("--search-path", default="/search/", help="the search page (its query is ?q=)")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench" / "portal-load"))
    args = parser.parse_args(argv)
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    unknown = set(pages) - set(ALL_PAGES)
    if unknown:
        parser.error(f"unknown page types: {', '.join(sorted(unknown))}")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    args.load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())

    work = Path(args.out) / time.strftime("%Y%m%d-%H%M%S")
    (work / "timing").mkdir(parents=True)
    setup_django(args.db_url)
    from gongkai.ops.server import port_is_free

    if not port_is_free("127.0.0.1", args.port):
        raise SystemExit(f"port {args.port} is busy: choose another with --port")
    rng = random.Random(args.seed)
    print("choosing URLs and signing members in …", flush=True)
    lists, notes, members = choose_urls(rng, args.search_path)
    print("bare SQL of the member lists …", flush=True)
    sql = member_sql(members)
    from django.db import connections

    connections.close_all()

    server = Server(args, work)
    results: list[Result] = []
    try:
        server.wait_ready()
        print("fetching every URL once …", flush=True)
        keep_answering(server.base, lists, notes, [*pages, "item"])
        if lists.get("item"):
            _status, body = fetch(server.base, lists["item"][0])
            (work / "item.html").write_bytes(body)
            notes["static-item"] = f"bytes of {lists['item'][0]} ({len(body):,} bytes)"
        for page in pages:
            if not lists.get(page):
                notes.setdefault(page, "not measured: no URL answered 200")
                continue
            list_file = work / f"{page}.txt"
            list_file.write_text("\n".join(lists[page]) + "\n")
            print(f"  {page}: {len(lists[page])} URLs …", end="", flush=True)
            if args.warmup:
                run_wrk(args, server.base, list_file, f"warmup-{page}", args.warmup)
            result = run_wrk(args, server.base, list_file, page, args.duration)
            result.urls = len(lists[page])
            results.append(result)
            print(f" {result.rps:.1f} req/s", flush=True)
    finally:
        server.stop()
    times = server_times(work / "timing")
    for result in results:
        result.server = times.get(result.page, [])
    report(results, notes, sql, args)
    print(f"lists, server log and timings: {work}")


if __name__ == "__main__":
    main()
