"""E-screen (电子屏) memory benchmark: does the screen page grow when it runs for hours?

    .venv/bin/python bench/escreen_memory_bench.py [--seconds 3600] [--sample 60] [--org cgz]
        [--rotate 5] [--refresh 10] [--churn 10] [--var DIR]

Loads the demo data into a fresh SQLite database (in a temporary GONGKAI_VAR_DIR, or --var DIR,
reused when it already holds one), starts `gongkai serve` on a free port, and opens
/orgs/<org>/screen/?seconds=<rotate>&refresh=<refresh> in headless Debian chromium (Playwright).
Every --churn seconds it hides or shows again one of the screen's items (its display_until,
written straight into the database), so that the page's data really changes and the slides are
swapped, not only re-fetched. Every --sample seconds it collects garbage in the page (CDP
HeapProfiler.collectGarbage) and reads the page's metrics (CDP Performance.getMetrics: JS heap
used, DOM nodes, event listeners, documents), the renderer processes' resident memory, and how
many slides were shown and fetches made, and prints a row; at the end, the growth of each
figure from the first sample to the last and the heap's slope per hour.

A page that leaks grows in heap, nodes or listeners with every rotation and refresh (hundreds
in an hour at these intervals); one that does not stays flat after its first minute."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-precise-memory-info",
    # A headless page is never hidden, but keep chromium from throttling its timers anyway.
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
]
# Counts the page's fetches of screen.json and slide changes, without keeping anything.
PROBE = """
(() => {
  const counts = window.__bench = { fetches: 0, failures: 0 };
  const original = window.fetch;
  window.fetch = function (...args) {
    counts.fetches++;
    return original.apply(this, args).catch(e => { counts.failures++; throw e; });
  };
})();
"""


@dataclass
class Sample:
    elapsed: float
    heap_mb: float
    heap_total_mb: float
    nodes: int
    listeners: int
    documents: int
    rss_mb: float
    fetches: int
    failures: int
    slide: str


def gongkai(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603 -- our own command
        [sys.executable, "-m", "gongkai.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
        raise SystemExit(f"gongkai {' '.join(args)} failed")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 -- our own server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


def fetch_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 -- our own server
        return json.load(response)


def renderer_rss_mb() -> float:
    """Resident memory of the chromium renderers started under this process (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    mine, total = {os.getpid()}, 0
    for _round in range(8):  # descendants, a few generations deep
        mine |= {pid for pid, parent in parents.items() if parent in mine}
    for pid in mine:
        try:
            if b"--type=renderer" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                continue
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


class Churn:
    """Hides one of the screen's items and shows it again, alternately: straight in the
    benchmark's own SQLite database (a throwaway demo), so the page's data changes."""

    def __init__(self, database: Path, index_number: str | None) -> None:
        self.database, self.index_number, self.hidden = database, index_number, False

    def flip(self) -> None:
        if self.index_number is None:
            return
        self.hidden = not self.hidden
        # Django keeps aware datetimes in SQLite as UTC text without an offset.
        until = (
            (datetime.now(UTC) - timedelta(seconds=1)).strftime("%Y-%m-%d %H:%M:%S.%f")
            if self.hidden
            else None
        )
        with sqlite3.connect(self.database, timeout=30) as db:
            db.execute(
                "UPDATE disclosures_disclosure SET display_until = ? WHERE index_number = ?",
                (until, self.index_number),
            )

    def restore(self) -> None:
        if self.hidden:
            self.flip()


def sample(page: Any, cdp: Any, started: float) -> Sample:
    cdp.send("HeapProfiler.collectGarbage")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    counts = page.evaluate(
        "({...window.__bench, slide: document.getElementById('escreen-counter').textContent})"
    )
    return Sample(
        elapsed=time.monotonic() - started,
        heap_mb=metrics["JSHeapUsedSize"] / 2**20,
        heap_total_mb=metrics["JSHeapTotalSize"] / 2**20,
        nodes=int(metrics["Nodes"]),
        listeners=int(metrics["JSEventListeners"]),
        documents=int(metrics["Documents"]),
        rss_mb=renderer_rss_mb(),
        fetches=counts["fetches"],
        failures=counts["failures"],
        slide=counts["slide"] or "-",
    )


HEADER = (
    f"{'min':>6} {'heap MB':>8} {'total MB':>8} {'nodes':>6} {'listen':>6} {'docs':>4} "
    f"{'rss MB':>7} {'fetches':>7} {'failed':>6} {'slide':>6}"
)


def row(s: Sample) -> str:
    return (
        f"{s.elapsed / 60:6.1f} {s.heap_mb:8.3f} {s.heap_total_mb:8.3f} {s.nodes:6d} {s.listeners:6d} "
        f"{s.documents:4d} {s.rss_mb:7.1f} {s.fetches:7d} {s.failures:6d} {s.slide:>6}"
    )


def slope_per_hour(samples: list[Sample]) -> float:
    """Least-squares growth of the heap after GC, MB per hour, from the second sample on (the
    first minute includes the page's start-up)."""
    points = samples[1:] if len(samples) > 2 else samples
    if len(points) < 2:
        return 0.0
    xs, ys = [p.elapsed / 3600 for p in points], [p.heap_mb for p in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var if var else 0.0


def run(options: argparse.Namespace) -> None:
    from playwright.sync_api import sync_playwright

    var = Path(options.var) if options.var else Path(tempfile.mkdtemp(prefix="gk-escreen-"))
    env = {k: v for k, v in os.environ.items() if k not in ("GONGKAI_DATABASE_URL", "GONGKAI_REDIS_URL")}
    env.update(GONGKAI_VAR_DIR=str(var), GONGKAI_JOBS_IMMEDIATE="true", PYTHONPATH=str(ROOT))
    database = var / "gongkai.sqlite3"
    try:
        if not database.exists():
            print(f"loading the demo data into {var} ...", flush=True)
            gongkai(["migrate", "-v", "0"], env)
            gongkai(["demo"], env)
        port = free_port()
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gongkai.cli",
                "serve",
                "--port",
                str(port),
                "--workers",
                "1",
                "--threads",
                "4",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(f"{base}/healthz")
            data = fetch_json(f"{base}/orgs/{options.org}/screen.json")
            slides = data["slides"]
            churn = Churn(database, slides[-1]["index_number"] if len(slides) > 1 and options.churn else None)
            url = f"{base}/orgs/{options.org}/screen/?seconds={options.rotate}&refresh={options.refresh}"
            print(
                f"screen: {url}\n{len(slides)} slides (fallback: {data['fallback']}); "
                f"churn: {churn.index_number or 'off'} every {options.churn} s; "
                f"{options.seconds} s, a sample every {options.sample} s\n",
                flush=True,
            )
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
                page.add_init_script(PROBE)
                page.goto(url)
                cdp = page.context.new_cdp_session(page)
                cdp.send("Performance.enable")
                started = time.monotonic()
                samples = [sample(page, cdp, started)]
                print(HEADER)
                print(row(samples[0]), flush=True)
                next_sample, next_churn = options.sample, options.churn or float("inf")
                try:
                    while True:
                        elapsed = time.monotonic() - started
                        if elapsed >= options.seconds:
                            break
                        if elapsed >= next_churn:
                            churn.flip()
                            next_churn += options.churn
                        if elapsed >= next_sample:
                            samples.append(sample(page, cdp, started))
                            print(row(samples[-1]), flush=True)
                            next_sample += options.sample
                        page.wait_for_timeout(500)
                    samples.append(sample(page, cdp, started))
                    print(row(samples[-1]))
                finally:
                    churn.restore()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
        report(samples, options)
    finally:
        if not options.var and not options.keep:
            shutil.rmtree(var, ignore_errors=True)


def report(samples: list[Sample], options: argparse.Namespace) -> None:
    first, last = samples[0], samples[-1]
    second = samples[1] if len(samples) > 2 else first
    print(
        f"\nover {last.elapsed / 60:.1f} min: {last.fetches} fetches of screen.json "
        f"({last.failures} failed); a new slide every {options.rotate} s while there are two or more"
    )
    print(f"{'':14}{'first':>10}{'after 1st':>10}{'last':>10}{'growth':>10}")
    for label, attr, fmt in [
        ("JS heap MB", "heap_mb", ".3f"),
        ("DOM nodes", "nodes", "d"),
        ("listeners", "listeners", "d"),
        ("documents", "documents", "d"),
        ("renderers MB", "rss_mb", ".1f"),
    ]:
        a, b, c = getattr(first, attr), getattr(second, attr), getattr(last, attr)
        print(f"{label:14}{a:>10{fmt}}{b:>10{fmt}}{c:>10{fmt}}{c - b:>+10{fmt}}")
    print(f"JS heap slope after the first sample: {slope_per_hour(samples):+.3f} MB/hour")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=3600, help="how long to run (default 3600)")
    parser.add_argument("--sample", type=int, default=60, help="seconds between samples (default 60)")
    parser.add_argument("--org", default="cgz", help="the org's code (default: the demo town, cgz)")
    parser.add_argument("--rotate", type=int, default=5, help="?seconds= of the screen (5-120, default 5)")
    parser.add_argument(
        "--refresh", type=int, default=10, help="?refresh= of the screen (10-3600, default 10)"
    )
    parser.add_argument(
        "--churn", type=int, default=10, help="seconds between data changes; 0: none (default 10)"
    )
    parser.add_argument(
        "--var", help="a GONGKAI_VAR_DIR to use (and keep); the demo is loaded if it has no database"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary GONGKAI_VAR_DIR")
    options = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit(f"chromium not found at {CHROMIUM}")
    run(options)


if __name__ == "__main__":
    main()
