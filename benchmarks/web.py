"""Benchmark 6 — web: requests per second on the item list under waitress.

The data set's web app (``web.create_app``) runs under waitress (8 threads) in its own
process on 127.0.0.1; ``wrk`` (Debian package ``wrk``) sends requests from concurrent
connections, signed in as a secretariat user, for a bounded time. The item list filtered
by district (``/items?district=dong-da``, the HTML page) is compared with a bare Flask
route (``/bench/bare``) on the same server, in alternating rounds; the JSON list
(``/api/items``, same query, no template) is reported too. Target: ≥ 0.3× and no
errors (non-2xx answers or socket errors).

    python3 -m benchmarks.web --items 10000 [--store sqlite|postgres] [--seconds 8]
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from typing import Any

from benchmarks import common
from benchmarks.server import Server

TARGET = 0.3
LIST = "/items?district=dong-da"
API = "/api/items?district=dong-da"
BARE = "/bench/bare"


def wrk(server: Server, path: str, seconds: int, connections: int,
        timeout: int = 2) -> dict[str, Any]:
    """Run wrk against ``path``; return requests/s, requests and errors."""
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout}s", "--latency",
         "-H", f"Cookie: {server.cookie}", server.base + path],
        capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                        out)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (
        sum(int(g) for g in sockets.groups()) if sockets else 0)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    return {"rps": rps, "requests": total, "errors": errors,
            "p50": f"{p50.group(1)}{p50.group(2)}" if p50 else "?"}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures and verdict."""
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--seconds", type=int, default=8, help="length of each round")
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--connections", type=int, default=8)
    args = p.parse_args(argv)
    report = common.Report("web", args.store, args.items)
    common.header("web: item list vs bare route under waitress", args.store, args.items)
    if not shutil.which("wrk"):
        report.pending = "wrk is not installed (apt-get install -y wrk)"
        return report.finish()
    common.ensure_dataset(args.store, args.items, quiet=args.quiet)
    server = Server(args.store, args.items)
    try:
        check = server.get(LIST)
        if check.status_code != 200 or "dong-da" not in check.text and "Đống Đa" not in check.text:
            raise RuntimeError(f"item list answered {check.status_code}")
        runs: dict[str, list[dict[str, Any]]] = {LIST: [], API: [], BARE: []}
        for path in runs:  # warm up
            wrk(server, path, 2, args.connections)
        for _ in range(args.rounds):
            for path in runs:
                runs[path].append(wrk(server, path, args.seconds, args.connections))
        rss = server.peak_rss_mb()
    finally:
        server.stop()
    list_rps = sum(r["rps"] for r in runs[LIST]) / len(runs[LIST])
    bare_rps = sum(r["rps"] for r in runs[BARE]) / len(runs[BARE])
    errors = sum(r["errors"] for rs in runs.values() for r in rs)
    report.figure("connections / waitress threads", f"{args.connections} / 8")
    report.figure(f"{LIST} requests/s", list_rps)
    report.figure(f"{BARE} requests/s", bare_rps)
    api_rps = sum(r["rps"] for r in runs[API]) / len(runs[API])
    report.figure(f"{API} requests/s (JSON, same query)", api_rps)
    report.figure("JSON list vs bare (information)", api_rps / bare_rps)
    report.figure("item list median latency", runs[LIST][-1]["p50"])
    report.figure("requests sent", sum(r["requests"] for rs in runs.values() for r in rs))
    report.figure("errors (non-2xx, socket)", errors)
    report.figure("server peak RSS MiB", rss)
    report.check("item list vs bare", list_rps / bare_rps, "≥", TARGET)
    report.check("errors", float(errors), "≤", 0.0)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
