"""Benchmark 9 — as of: the boards at the end of a past day vs today's boards.

What the city board page reads: every unit's counts for all sessions and for one session,
and every agency's for that session. Today's read the live counters; "as of" reads the
counter changes summed by day (``projections.as_of``), for days at a year end, mid-year
and a month's last day. Samples interleaved. Target: ≤ 3×. Also reported: the digest's
session summary as of a day (a GROUP BY over the items' versions valid that day) vs today's,
and what the dated read models cost in rows.

Just after an event (``projections.positions``): the same boards at positions 1,000 and
20,000 events back from the head, reported beside the days with what preparing each cost
(replaying the items changed since, once per position) — a cost that grows with the events
after the position, not with the store.

    python3 -m benchmarks.as_of --items 10000 [--store sqlite|postgres] [--day YYYY-MM-DD]
        [--back N ...]
"""
from __future__ import annotations

import sys
import time
from datetime import date

from benchmarks import common

TARGET = 3.0
SESSION = "XVI-20"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures and verdict."""
    from sqlalchemy import func, select

    from petitions.application import Tracker
    from projections import as_of, counters
    from projections.agency_board import agency_board
    from projections.counters import ALL
    from projections.digest_queries import DigestScope, session_summary
    from projections.district_board import district_board
    from projections.store import Views

    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--day", action="append", default=[],
                   help="as-of day (repeatable; default 2025-12-31, 2025-06-30, 2026-01-31)")
    p.add_argument("--back", action="append", type=int, default=[],
                   help="a position this many events before the head (repeatable; "
                        "default 1000 and 20000)")
    args = p.parse_args(argv)
    repeat = args.repeat or 40
    days = [date.fromisoformat(d) for d in args.day] or [
        date(2025, 12, 31), date(2025, 6, 30), date(2026, 1, 31)]
    common.header("as of: boards at a past day vs today", args.store, args.items)
    settings = common.ensure_dataset(args.store, args.items, quiet=args.quiet)
    tracker = Tracker(settings)
    today = tracker.today()
    tracker.close()
    views = Views.from_settings(settings)

    def boards(day: date, past: bool) -> None:
        with views.connect() as conn:
            district_board(conn, ALL, today=day, as_of=past)
            district_board(conn, SESSION, today=day, as_of=past)
            agency_board(conn, SESSION, today=day, as_of=past)

    def summary(day: date, past: bool) -> None:
        with views.connect() as conn:
            session_summary(conn, SESSION, DigestScope(), today=day, as_of=past)

    report = common.Report("as_of", args.store, args.items)
    with views.connect() as conn:
        for table in (counters.board_counts, counters.due_counts, as_of.count_changes,
                      as_of.due_changes, as_of.item_versions):
            n = conn.execute(select(func.count()).select_from(table)).scalar_one()
            report.figure(f"rows in {table.name}", f"{n:,}")
        raised = district_board(conn, ALL, today=today)[ALL]["raised"]
        for day in days:
            then = district_board(conn, ALL, today=day, as_of=True).get(ALL, {})
            report.figure(f"raised as of {day:%d/%m/%Y} / today",
                          f"{then.get('raised', 0):,} / {raised:,}")
    worst = 0.0
    for day in days:
        now_s: list[float] = []
        then_s: list[float] = []
        for _ in range(3):
            boards(today, False)
            boards(day, True)
        for _ in range(repeat):
            for samples, past, when in ((now_s, False, today), (then_s, True, day)):
                started = time.perf_counter()
                boards(when, past)
                samples.append(time.perf_counter() - started)
        ratio = common.median(then_s) / common.median(now_s)
        worst = max(worst, ratio)
        report.figure(f"boards today / as of {day:%d/%m/%Y}: median ms",
                      f"{common.median(now_s) * 1000:.1f} / {common.median(then_s) * 1000:.1f}")
    from petitions.runtime import Runtime

    runtime = Runtime(settings)
    head = runtime.tracker.position()
    from projections.positions import position_marks, position_rows

    for back in args.back or [1_000, 20_000]:
        with views.begin() as conn:  # measured from nothing kept, as on a first request
            for table in (position_rows, position_marks):
                conn.execute(table.delete().where(table.c.position == head - back))
        started = time.perf_counter()
        moment = runtime.at_position(head - back)
        prepared = time.perf_counter() - started
        with views.connect() as conn:
            kept = conn.execute(select(func.count()).select_from(position_rows)
                                .where(position_rows.c.position == moment.n)).scalar_one()
        now_s, then_s = [], []
        for _ in range(max(repeat // 4, 5)):
            for samples, past, when in ((now_s, False, today), (then_s, True, moment)):
                started = time.perf_counter()
                boards(when, past)
                samples.append(time.perf_counter() - started)
        ratio = common.median(then_s) / common.median(now_s)
        report.figure(f"boards today / just after event {moment.n:,} ({back:,} back): median ms",
                      f"{common.median(now_s) * 1000:.1f} / {common.median(then_s) * 1000:.1f} "
                      f"({ratio:.2f}×; prepared once in {prepared:.2f} s, {kept:,} items replayed)")
    runtime.close()
    now_sum = common.timed(lambda: summary(today, False), max(repeat // 4, 5))
    then_sum = common.timed(lambda: summary(days[0], True), max(repeat // 4, 5))
    report.figure(f"digest session summary today / as of {days[0]:%d/%m/%Y}: median ms",
                  f"{common.median(now_sum) * 1000:.1f} / {common.median(then_sum) * 1000:.1f}")
    views.dispose()
    report.check("as-of boards vs today's (worst day)", worst, "≤", TARGET)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
