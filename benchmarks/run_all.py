"""Run every benchmark, each in its own process, and print one table of verdicts.

    python3 -m benchmarks.run_all --items 10000 [--store sqlite|postgres] [--only a,b]
    python3 -m benchmarks.run_all --table   # only print the latest result of each run

At 10,000 items the whole set takes a few minutes on an idle 2-core machine (the data set
is generated once, on first use). Results accumulate in ``benchmarks/data/results.jsonl``;
the table shows the latest result per benchmark, store and size.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from benchmarks import common

ORDER = ["append", "projection", "flatness", "history", "digest", "digest_signin", "web",
         "memory", "as_of", "workers", "import_rows"]


def latest_results() -> dict[tuple[str, str, int], dict]:
    """Return the latest recorded result per (benchmark, store, items)."""
    found: dict[tuple[str, str, int], dict] = {}
    if common.RESULTS.exists():
        for line in common.RESULTS.read_text().splitlines():
            if line.strip():
                row = json.loads(line)
                found[(row["benchmark"], row["store"], row["items"])] = row
    return found


def table(rows: list[dict]) -> str:
    """Return a Markdown table of results."""
    out = ["| benchmark | store | items | verdict | ratios (target) | when (UTC) | load |",
           "|---|---|---|---|---|---|---|"]
    for row in rows:
        ratios = "; ".join(f"{name} {value:.0f} ({op} {target:.0f})" if name == "errors" else
                           f"{name} {value:.2f}× ({op} {target}×)"
                           for name, value, op, target in row["checks"]) or row["pending"]
        word = "pending" if row["pending"] else ("PASS" if row["passed"] else "FAIL")
        load = row["machine"].rsplit("load ", 1)[-1]
        out.append(f"| {row['benchmark']} | {row['store']} | {row['items']:,} | {word} | "
                   f"{ratios} | {row['at'][:16].replace('T', ' ')} | {load} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks (or only print the table)."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--items", type=int, default=10_000)
    p.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    p.add_argument("--only", default="", help="comma-separated benchmark names")
    p.add_argument("--table", action="store_true", help="print the latest results only")
    args = p.parse_args(argv)
    if args.table:
        def order(name: str) -> tuple[int, str]:
            base = name.split(" (")[0]
            return (ORDER.index(base) if base in ORDER else 99, name)

        rows = [row for _, row in sorted(latest_results().items(), key=lambda kv: (
            kv[0][1], kv[0][2], order(kv[0][0])))]
        print(table(rows))
        return 0
    names = [n for n in (args.only.split(",") if args.only else ORDER) if n]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(common.ROOT.parent), os.environ.get("PYTHONPATH", "")]))
    common.ensure_dataset(args.store, args.items)  # once, with progress, before timing
    started = time.perf_counter()
    for name in names:
        print(f"\n### {name}", flush=True)
        subprocess.run([sys.executable, "-m", f"benchmarks.{name}", "--items", str(args.items),
                        "--store", args.store, "--quiet"], env=env, check=False)
    latest = latest_results()
    rows = [latest[(n, args.store, args.items)] for n in names
            if (n, args.store, args.items) in latest]
    print(f"\nAll benchmarks ran in {time.perf_counter() - started:,.0f} s\n")
    print(table(rows))
    return 0 if all(r["passed"] or r["pending"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
