"""Benchmark 8 — workers: web requests per second with 1, 2 and 4 gunicorn worker processes.

The documented multi-process deployment (README: Several web processes): gunicorn with
``gthread`` workers, each process its own app and connection pool over one PostgreSQL
database. ``wrk`` requests the item list (``/items?district=dong-da``, signed in) for a
bounded time against 1, 2 and 4 workers in turn, in alternating rounds. Target: 4 workers
≥ 1.6× one worker (2 cores: the second core is what the extra processes can use; the
database shares those cores).

    python3 -m benchmarks.workers --items 10000 [--store postgres] [--seconds 8]
"""
from __future__ import annotations

import shutil
import sys
from typing import Any

from benchmarks import common
from benchmarks.server import Server
from benchmarks.web import LIST, wrk

TARGET = 1.6
WORKERS = (1, 2, 4)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures and verdict."""
    p = common.parser(__doc__.splitlines()[0])
    p.set_defaults(store="postgres")
    p.add_argument("--seconds", type=int, default=8, help="length of each round")
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--threads", type=int, default=4, help="threads per worker")
    args = p.parse_args(argv)
    report = common.Report("workers", args.store, args.items)
    common.header("workers: item list with 1, 2, 4 gunicorn processes", args.store, args.items)
    if not shutil.which("wrk"):
        report.pending = "wrk is not installed (apt-get install -y wrk)"
        return report.finish()
    common.ensure_dataset(args.store, args.items, quiet=args.quiet)
    runs: dict[int, list[dict[str, Any]]] = {n: [] for n in WORKERS}
    for _ in range(args.rounds):
        for n in WORKERS:
            server = Server(args.store, args.items, threads=args.threads, workers=n)
            try:
                wrk(server, LIST, 2, args.connections, timeout=30)  # warm every worker
                runs[n].append(wrk(server, LIST, args.seconds, args.connections, timeout=30))
            finally:
                server.stop()
    rps = {n: sum(r["rps"] for r in rs) / len(rs) for n, rs in runs.items()}
    errors = sum(r["errors"] for rs in runs.values() for r in rs)
    report.figure("connections / threads per worker", f"{args.connections} / {args.threads}")
    for n in WORKERS:
        report.figure(f"{LIST} requests/s, {n} worker(s)", rps[n])
    report.figure("2 workers vs 1", rps[2] / rps[1])
    report.figure("errors (non-2xx, socket)", errors)
    report.check("4 workers vs 1", rps[4] / rps[1], "≥", TARGET)
    report.check("errors", float(errors), "≤", 0.0)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
