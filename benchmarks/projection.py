"""Benchmark 2 — projection: events per second applied by the projector during a rebuild.

The items view (with its board counters) is rebuilt from position 0 into an empty views
database, exactly what ``petitions projections rebuild`` does. The baseline merely reads
the same events from the store in the same batches and turns them into domain events
(``select_notifications`` + ``mapper.to_domain_event``). Target: ≥ 0.5× the baseline.

    python3 -m benchmarks.projection --items 10000 [--store sqlite|postgres] [--events N]

``--events`` caps how many events are projected (default: all of them, at most 1,000,000).
"""
from __future__ import annotations

import sys
import time

from benchmarks import common

TARGET = 0.5


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures and verdict."""
    from petitions.application import Tracker
    from projections.items import ItemsProjection
    from projections.runner import REBUILD_BATCH, Projector
    from projections.store import Views

    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--events", type=int, default=1_000_000)
    args = p.parse_args(argv)
    common.header("projection: rebuild vs read", args.store, args.items)
    settings = common.ensure_dataset(args.store, args.items, quiet=args.quiet)
    tracker = Tracker(settings)
    until = min(tracker.position(), args.events)

    # The projector writes into an empty views database of its own (the data set's stays
    # intact). Baseline and projector alternate batch by batch, so both see the same load
    # on a shared machine.
    scratch = common.scratch_settings(args.store, "projection")
    views = Views.from_settings(scratch)
    views.create_all()
    projector = Projector(tracker, views, policy=tracker.policy, calendar=tracker.calendar,
                          zone=tracker.zone, projections=[ItemsProjection()])
    read_seconds = project_seconds = 0.0
    position = read = applied = 0
    while position < until:
        started = time.perf_counter()
        batch = tracker.recorder.select_notifications(
            start=position, limit=min(REBUILD_BATCH, until - position), inclusive_of_start=False)
        if not batch:
            break
        read += len([tracker.mapper.to_domain_event(n) for n in batch])
        read_seconds += time.perf_counter() - started
        started = time.perf_counter()
        applied += projector.catch_up(until=batch[-1].id, batch=REBUILD_BATCH)
        project_seconds += time.perf_counter() - started
        position = batch[-1].id
        if not args.quiet:
            sys.stderr.write(f"\rprojecting {read:,}/{until:,}   ")
    if not args.quiet:
        sys.stderr.write("\n")
    views.dispose()
    tracker.close()
    common.drop_schema(scratch)

    report = common.Report("projection", args.store, args.items)
    report.figure("events", until)
    report.figure("read + decode events/s", common.rate(read, read_seconds))
    report.figure("rebuild events/s (items view + boards)", common.rate(applied, project_seconds))
    ratio = common.rate(applied, project_seconds) / common.rate(read, read_seconds)
    report.figure("ratio", ratio)
    report.check("projection", ratio, "≥", TARGET)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
