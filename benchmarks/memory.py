"""Benchmark 7 — memory: peak RSS of the web server and of the projector, large vs small.

Each measured process runs on its own, once on the large data set and once on the small
baseline data set (10,000 items, or a quarter of ``--items`` when that is 10,000 or less):

- server: the web app under waitress (``benchmarks.server``) after a mix of requests (item
  list first and later pages, item pages with history, boards, JSON list); peak = VmHWM;
- projector: a process that catches the views up after ``--append`` new items (default
  1,000, about 5,500 events) were added to the data set by another process (so each run
  grows the data sets by that many items; the figures record it).

Target: large ≤ 1.2× small for each.

    python3 -m benchmarks.memory --items 1000000 [--store sqlite|postgres]
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from benchmarks import common

TARGET = 1.2


def _child(args: list[str]) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(common.ROOT.parent), os.environ.get("PYTHONPATH", "")]))
    out = subprocess.run([sys.executable, "-m", "benchmarks.memory", *args], env=env,
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def append_items(store: str, items: int, count: int) -> None:
    """Append ``count`` bulk items to a data set (in this process)."""
    from petitions.application import Tracker
    from petitions.demo import load_bulk

    tracker = Tracker(common.dataset_settings(store, items))
    load_bulk(tracker, count, seed=items + os.getpid())
    tracker.close()


def project_only(store: str, items: int) -> dict[str, Any]:
    """Catch every view up (in this process); return events applied and peak RSS."""
    from petitions.runtime import Runtime

    runtime = Runtime(common.dataset_settings(store, items))
    applied = runtime.projector.catch_up()
    runtime.close()
    return {"applied": applied, "rss": common.peak_rss_mb()}


def server_rss(store: str, items: int) -> float:
    """Start the web server on a data set, send a request mix; return its peak RSS."""
    from benchmarks.server import Server

    server = Server(store, items)
    try:
        page = server.get("/api/items?district=dong-da").json()
        codes = [row["code"] for row in page["items"]][:10]
        after = page.get("next")
        for _ in range(10):
            server.get("/items?district=dong-da")
            if after:
                more = server.get(f"/api/items?district=dong-da&after={after}").json()
                after = more.get("next")
            server.get("/boards")
            server.get("/api/boards/districts")
            server.get("/api/items?status=assigned")
        for code in codes:
            server.get(f"/items/{code}")
            server.get(f"/api/items/{code}/history")
        return server.peak_rss_mb()
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures and verdict."""
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--base", type=int, default=0)
    p.add_argument("--append", type=int, default=1000)
    p.add_argument("--role", choices=("append", "projector"), default=None)
    args = p.parse_args(argv)
    if args.role == "append":
        append_items(args.store, args.items, args.append)
        print(json.dumps({"appended": args.append}))
        return 0
    if args.role == "projector":
        print(json.dumps(project_only(args.store, args.items)))
        return 0
    base = args.base or (10_000 if args.items > 10_000 else max(args.items // 4, 100))
    common.header(f"memory: {args.items:,} vs {base:,} items", args.store, args.items)
    report = common.Report("memory", args.store, args.items)
    figures: dict[tuple[str, int], float] = {}
    for size in (base, args.items):
        common.ensure_dataset(args.store, size, quiet=args.quiet)
        common.note(f"server on {size:,} items …", args.quiet)
        figures[("server", size)] = server_rss(args.store, size)
        common.note(f"appending {args.append:,} items, then projecting …", args.quiet)
        common_args = ["--store", args.store, "--items", str(size)]
        _child([*common_args, "--role", "append", "--append", str(args.append)])
        result = _child([*common_args, "--role", "projector"])
        figures[("projector", size)] = result["rss"]
        report.figure(f"projector events applied ({size:,} items)", result["applied"])
    for role in ("server", "projector"):
        report.figure(f"{role} peak RSS MiB small / large",
                      f"{figures[(role, base)]:.1f} / {figures[(role, args.items)]:.1f}")
        report.check(role, figures[(role, args.items)] / figures[(role, base)], "≤", TARGET)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
