"""Shared helpers of the benchmarks: data sets, timing, figures and verdicts.

Every benchmark compares the system with a baseline measured in the same process, so the
verdict is a ratio and does not depend on how fast (or how busy) the machine is.

Data sets live under ``benchmarks/data/`` (gitignored): ``sqlite-<N>/`` holds the event
store and views of N bulk-generated items; on PostgreSQL the schema ``bench_<N>`` of the
database at ``PETITIONS_BENCH_POSTGRES_URL`` (default: the test database) holds them. A
``ready.json`` file marks a data set whose generation and projection finished, so later
runs reuse it.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from petitions.settings import Settings

ROOT = Path(__file__).resolve().parent
DATA = Path(os.environ.get("PETITIONS_BENCH_DATA", ROOT / "data"))
PG_URL = os.environ.get("PETITIONS_BENCH_POSTGRES_URL",
                        "postgresql://postgres@127.0.0.1:5432/test")
RESULTS = DATA / "results.jsonl"
GENERATED = "generated.json"  # a data set's events are all stored (``benchmarks.follow`` stops)


def parser(description: str, items: int = 10_000) -> argparse.ArgumentParser:
    """Return the argument parser every benchmark shares."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--items", type=int, default=items, help=f"data set size (default {items})")
    p.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    p.add_argument("--repeat", type=int, default=0, help="samples per measurement (0: default)")
    p.add_argument("--quiet", action="store_true", help="no progress output")
    return p


# -- data sets ---------------------------------------------------------------------------------
def scratch_settings(store: str, name: str) -> Settings:
    """Return settings for an empty throw-away store ``name`` (files or schema recreated)."""
    folder = DATA / f"{store}-{name}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    if store == "sqlite":
        return Settings(instance_path=str(folder), secret_key="bench")
    schema = f"bench_{name}".replace("-", "_")
    _recreate_schema(schema)
    return Settings(instance_path=str(folder), database_url=PG_URL, database_schema=schema,
                    secret_key="bench")


def dataset_settings(store: str, items: int) -> Settings:
    """Return settings of the data set of ``items`` items (which may not exist yet)."""
    folder = DATA / f"{store}-{items}"
    if store == "sqlite":
        return Settings(instance_path=str(folder), secret_key="bench")
    return Settings(instance_path=str(folder), database_url=PG_URL,
                    database_schema=f"bench_{items}", secret_key="bench")


def ensure_dataset(store: str, items: int, *, quiet: bool = False) -> Settings:
    """Generate (once) ``items`` items with their histories and project them; return settings."""
    settings = dataset_settings(store, items)
    marker = DATA / f"{store}-{items}" / "ready.json"
    if marker.exists():
        return settings
    from petitions.application import Tracker
    from petitions.demo import load_bulk, print_progress

    settings = scratch_settings(store, str(items))
    started = time.perf_counter()
    tracker = Tracker(settings)
    tracker.load_reference()
    result = load_bulk(tracker, items, progress=None if quiet else print_progress(
                           f"generating {items:,} items ({store})"))
    generated = time.perf_counter() - started
    tracker.close()
    (DATA / f"{store}-{items}" / GENERATED).write_text(json.dumps({"events": result.events}))
    projected_started = time.perf_counter()
    project(settings, quiet=quiet, label=f"projecting {result.events:,} events ({store})")
    if settings.is_postgres:
        analyze_schema(settings.database_schema)
    projected = time.perf_counter() - projected_started
    marker.write_text(json.dumps({
        "items": items, "events": result.events, "generate_seconds": round(generated, 1),
        "project_seconds": round(projected, 1), "store": store,
        "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "fates": result.fates}, indent=1))
    note(f"data set ready: {items:,} items, {result.events:,} events; generated in "
         f"{generated:,.0f} s, projected in {projected:,.0f} s", quiet)
    return settings


def dataset_info(store: str, items: int) -> dict[str, Any]:
    """Return what ``ready.json`` recorded about a data set."""
    return json.loads((DATA / f"{store}-{items}" / "ready.json").read_text())


def project(settings: Settings, *, quiet: bool = False, label: str = "projecting") -> int:
    """Bring the items view of ``settings`` up to date, with a progress line; return events read.

    Other views of the runtime (the notification outbox) start at the head of the log: the
    bulk data's escalations are history, their e-mails are not to be sent again, just as
    when existing records are imported.
    """
    from petitions.runtime import Runtime
    from projections.chain import ChainProjection
    from projections.items import ItemsProjection
    from projections.runner import REBUILD_BATCH
    from projections.store import projection_tracking

    runtime = Runtime(settings)
    head = runtime.tracker.position()
    with runtime.views.begin() as conn:
        for projection in runtime.projector.projections:
            if projection.name not in (ItemsProjection.name, ChainProjection.name):
                conn.execute(projection_tracking.delete().where(
                    projection_tracking.c.name == projection.name))
                conn.execute(projection_tracking.insert().values(
                    name=projection.name, position=head))
    # The chain is kept too: every event must be chained, bulk-loaded or not.
    runtime.projector.projections = [p for p in runtime.projector.projections
                                     if p.name in (ItemsProjection.name, ChainProjection.name)]
    # Each view reads the log for itself: the line counts events applied over all of them.
    work = head * len(runtime.projector.projections)
    done = [0]
    started = time.perf_counter()

    def progress(n: int) -> None:
        done[0] += n
        if not quiet:
            rate = done[0] / max(time.perf_counter() - started, 1e-9)
            sys.stderr.write(f"\r{label}: {done[0]:,}/{work:,} applied ({rate:,.0f}/s)   ")
            sys.stderr.flush()

    total = runtime.projector.catch_up(progress=progress, batch=REBUILD_BATCH)
    if not quiet:
        sys.stderr.write("\n")
    runtime.close()
    return total


def analyze_schema(schema: str) -> None:
    """Gather PostgreSQL's statistics of every table in ``schema`` (after a bulk load).

    Without them the planner guessed a point look-up of an item's events in a freshly
    copied store of 6 million rows costly enough to compile it (JIT): 433 ms instead of
    0.8 ms, the item page 16× slower at 1M than at 10k.
    """
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        for (table,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s",
                                     (schema,)).fetchall():
            conn.execute(f'ANALYZE "{schema}"."{table}"')


def _recreate_schema(schema: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.execute(f'CREATE SCHEMA "{schema}"')


def drop_schema(settings: Settings) -> None:
    """Drop a throw-away PostgreSQL schema (no-op on SQLite)."""
    if settings.is_postgres and settings.database_schema:
        import psycopg

        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{settings.database_schema}" CASCADE')


# -- timing ------------------------------------------------------------------------------------
def timed(func: Callable[[], Any], repeat: int, warmup: int = 2) -> list[float]:
    """Call ``func`` ``warmup`` times unmeasured, then ``repeat`` times; return seconds each."""
    for _ in range(warmup):
        func()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return samples


def median(samples: Iterable[float]) -> float:
    """Return the median."""
    return statistics.median(list(samples))


def p95(samples: Iterable[float]) -> float:
    """Return the 95th percentile (nearest rank)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def rate(count: int, seconds: float) -> float:
    """Return ``count / seconds``."""
    return count / seconds if seconds > 0 else float("inf")


def peak_rss_mb() -> float:
    """Return this process's peak resident set size in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- reporting ---------------------------------------------------------------------------------
@dataclass
class Report:
    """Figures of one benchmark run and its verdict."""

    benchmark: str
    store: str
    items: int
    figures: dict[str, Any] = field(default_factory=dict)
    checks: list[tuple[str, float, str, float]] = field(default_factory=list)
    pending: str = ""
    variant: str = ""  # a configuration other than the shipped one ("cache 1000", "-O")

    def __post_init__(self) -> None:
        if sys.flags.optimize and "-O" not in self.variant:
            self.variant = ", ".join(v for v in (self.variant, "python -O") if v)

    @property
    def title(self) -> str:
        """Return the benchmark's name with its variant, if any."""
        return f"{self.benchmark} ({self.variant})" if self.variant else self.benchmark

    def figure(self, name: str, value: Any) -> None:
        """Record (and print) one figure."""
        self.figures[name] = value
        shown = f"{value:,.4g}" if isinstance(value, float) else f"{value}"
        print(f"  {name:<44} {shown}")

    def check(self, name: str, value: float, op: str, target: float) -> bool:
        """Record a target: ``value op target`` with op one of "≥" or "≤"."""
        self.checks.append((name, value, op, target))
        return value >= target if op == "≥" else value <= target

    @property
    def passed(self) -> bool:
        """Tell whether every target was met."""
        return not self.pending and all(
            v >= t if op == "≥" else v <= t for _, v, op, t in self.checks)

    def verdict(self) -> str:
        """Return the one-line verdict."""
        if self.pending:
            return f"{self.title} [{self.store}, {self.items:,}]: PENDING — {self.pending}"
        parts = [f"{name} {value:.0f} (target {op} {target:.0f})" if name == "errors" else
                 f"{name} {value:.2f}× (target {op} {target}×)"
                 for name, value, op, target in self.checks]
        word = "PASS" if self.passed else "FAIL"
        return f"{self.title} [{self.store}, {self.items:,}]: {word} — " + "; ".join(parts)

    def finish(self) -> int:
        """Print the verdict, append the run to results.jsonl; return the exit status."""
        line = self.verdict()
        print(line)
        DATA.mkdir(parents=True, exist_ok=True)
        with RESULTS.open("a") as out:
            out.write(json.dumps({
                "benchmark": self.title, "store": self.store, "items": self.items,
                "figures": self.figures, "checks": self.checks, "passed": self.passed,
                "pending": self.pending, "verdict": line, "machine": machine(),
                "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            }, default=str) + "\n")
        return 0 if self.passed or self.pending else 1


def machine() -> str:
    """Describe the machine: CPU count, model, Python and load at the time of the run."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    return (f"{os.cpu_count()} CPU {model}, Python {platform.python_version()}, "
            f"load {load:.1f}")


def note(text: str, quiet: bool = False) -> None:
    """Print a progress note on stderr."""
    if not quiet:
        print(text, file=sys.stderr, flush=True)


def header(title: str, store: str, items: int) -> None:
    """Print the benchmark's title line."""
    print(f"== {title} — {store}, {items:,} items — {machine()}")


def postgres_events_table(schema: str) -> tuple[Any, str]:
    """Create a baseline table of the PostgreSQL event store's shape in ``schema`` (its
    primary key and notification ids); return a connection and the table's name."""
    import psycopg

    conn = psycopg.connect(PG_URL)
    table = f'"{schema}".baseline_events'
    conn.execute(f"CREATE TABLE {table} (originator_id uuid NOT NULL, originator_version "
                 "bigint NOT NULL, topic text, state bytea, notification_id bigserial, "
                 "PRIMARY KEY (originator_id, originator_version))")
    conn.execute(f"CREATE UNIQUE INDEX ON {table} (notification_id)")
    conn.commit()
    return conn, table
