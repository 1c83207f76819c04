"""Benchmark 4 — history: loading an item with 1,000 events vs one with 10.

Loading means what every command and the item page do first: ``Tracker.get_item``
(the aggregate from its latest snapshot plus the events after it). Items with 1,000 events
and with 1,049 events (the worst case: 49 events after the last snapshot at interval 50)
are compared with an item of 10 events, samples interleaved. Target: ≤ 2×.
The full audit-log read (``Tracker.history``, every event by design) is reported too.

    python3 -m benchmarks.history [--store sqlite|postgres] [--preload N] [--snapshot-interval K]

The items are written to a fresh store that first receives ``--preload`` bulk items
(default 10,000), so the event table is not tiny; ``--items`` only labels the run (the
cost of loading one item does not depend on how many others exist: it is a key look-up).
"""
from __future__ import annotations

import sys
import time
from datetime import date, datetime, timedelta, timezone

from benchmarks import common
from domain.actor import Actor, Role

TARGET = 2.0
READER = Actor("thu.ky.bench", Role.SECRETARIAT)
SIZES = (10, 1000, 1049)


def make_item(tracker, events: int, index: int) -> str:  # type: ignore[no-untyped-def]
    """Save a petition with ``events`` events (logged, assigned, then progress notes)."""
    from domain.codes import format_code
    from domain.petition import VoterPetition

    staff = Actor("can.bo.dong-da", Role.DISTRICT_STAFF, district="dong-da")
    agency = Actor("cb.so-xay-dung", Role.AGENCY_STAFF, agency="so-xay-dung")
    at = datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc)
    code = format_code("KN", 2099, index)  # a year of its own: no clash with the counter
    known = tracker.known_codes()
    petition = VoterPetition.log(
        code=code, title="Chống ngập phố Thái Hà", content="Cử tri đề nghị chống ngập.",
        district="dong-da", deputy_group=tracker.reference()["units"] and "to-06",
        session="XVI-20", field="water_drainage", meeting_date=date(2025, 3, 1),
        meeting_place="Nhà văn hóa", voters="", received_on=date(2025, 3, 3), known=known,
        by=staff, at=at, today=date(2025, 3, 3))
    petition.assign(agency="so-xay-dung", due_date=None, note="", known=known,
                    policy=tracker.policy, calendar=tracker.calendar, today=date(2025, 3, 3),
                    by=staff, at=at)
    for n in range(events - 2):
        petition.note_progress(f"Tiến độ lần {n + 1}: đã khảo sát hiện trường.", by=agency,
                               at=at + timedelta(minutes=n))
        if (n + 1) % 200 == 0:  # saved in parts, as a long-lived item would be
            tracker.save(petition)
    tracker.save(petition)
    return code


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures and verdict."""
    from petitions.application import Tracker
    from petitions.demo import load_bulk, print_progress

    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--preload", type=int, default=10_000)
    p.add_argument("--snapshot-interval", type=int, default=0,
                   help="try another snapshot interval for items (default: the application's)")
    args = p.parse_args(argv)
    if args.snapshot_interval:
        from domain.complaint import Complaint
        from domain.petition import VoterPetition

        Tracker.snapshotting_intervals = {**Tracker.snapshotting_intervals,
                                          VoterPetition: args.snapshot_interval,
                                          Complaint: args.snapshot_interval}
    repeat = args.repeat or 200
    common.header("history: 1,000 events vs 10", args.store, args.items)
    settings = common.scratch_settings(args.store, "history")
    tracker = Tracker(settings)
    tracker.load_reference()
    if args.preload:
        load_bulk(tracker, args.preload, progress=None if args.quiet else print_progress(
            "preloading"))
    codes = {size: make_item(tracker, size, i + 1) for i, size in enumerate(SIZES)}
    load: dict[int, list[float]] = {size: [] for size in SIZES}
    audit: dict[int, list[float]] = {size: [] for size in SIZES}
    for _ in range(5):
        for size in SIZES:
            tracker.get_item(READER, codes[size])
    for _ in range(repeat):
        for size in SIZES:
            started = time.perf_counter()
            tracker.get_item(READER, codes[size])
            load[size].append(time.perf_counter() - started)
    for _ in range(max(repeat // 10, 10)):
        for size in SIZES:
            started = time.perf_counter()
            tracker.history(READER, codes[size])
            audit[size].append(time.perf_counter() - started)
    snapshots = sum(1 for _ in tracker.snapshots.get(tracker.resolve_ref(codes[1000]))) \
        if tracker.snapshots else 0
    tracker.close()
    common.drop_schema(settings)

    report = common.Report("history", args.store, args.items, variant=(
        f"snapshot interval {args.snapshot_interval}" if args.snapshot_interval else ""))
    report.figure("snapshot interval (items)", Tracker.snapshotting_intervals[
        __import__("domain.petition", fromlist=["VoterPetition"]).VoterPetition])
    report.figure("snapshots of the 1,000-event item", snapshots)
    for size in SIZES:
        report.figure(f"get_item, {size:,} events: median / p95 ms",
                      f"{common.median(load[size]) * 1000:.2f} / "
                      f"{common.p95(load[size]) * 1000:.2f}")
    for size in SIZES:
        report.figure(f"history (audit log), {size:,} events: median ms",
                      f"{common.median(audit[size]) * 1000:.2f}")
    base = common.median(load[10])
    report.check("1,000 vs 10", common.median(load[1000]) / base, "≤", TARGET)
    report.check("1,049 vs 10", common.median(load[1049]) / base, "≤", TARGET)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
