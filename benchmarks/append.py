"""Benchmark 1 — append: log-petition commands per second through the application.

Each command is one transaction (code allocation, the petition, its event), as when a
district officer submits the form. The baseline inserts, one transaction each, a row of the
same shape and size as the petition's stored event into a table of the event store's
shape, with the same driver and durability setting (SQLite WAL with its default
synchronous=FULL; PostgreSQL with synchronous_commit on). Target: ≥ 0.6× the baseline.

    python3 -m benchmarks.append --items 10000 [--store sqlite|postgres] [--cache 1000] [--counter-snapshots 10]

``--items`` names the data-set size the run belongs to; the store appended to is a fresh
one that first receives ``--preload`` items (default: 2,000) so the counter and tables are
not empty, then ``--commands`` (default 1,000) commands are timed.
"""
from __future__ import annotations

import os
import sqlite3
import sys
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from typing import Any

from benchmarks import common
from domain.actor import Actor, Role

STAFF = Actor("can.bo.ba-dinh", Role.DISTRICT_STAFF, district="ba-dinh")
TARGET = 0.6


class MovingClock:
    """A clock that advances one second per reading, from a fixed start."""

    def __init__(self) -> None:
        self.now = datetime(2025, 6, 2, 2, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def petition_data(i: int) -> dict[str, Any]:
    """Return the form data of the ``i``-th petition."""
    return dict(
        title=f"Cải tạo hệ thống thoát nước ngõ {i} phố Kim Mã",
        content=("Cử tri phường Kim Mã phản ánh tình trạng ngập úng kéo dài mỗi khi mưa lớn "
                 f"tại ngõ {i}, đề nghị thành phố sớm cải tạo hệ thống thoát nước."),
        district="ba-dinh", deputy_group="to-01", session="XVI-20", field="water_drainage",
        meeting_date=date(2025, 5, 20), meeting_place="Nhà văn hóa phường Kim Mã",
        voters="Cử tri Nguyễn Văn An; Cử tri Trần Thị Bình", received_on=date(2025, 5, 26))


class Application:
    """The tracker on a fresh store, logging petitions one command at a time."""

    def __init__(self, settings: Any, preload: int, quiet: bool) -> None:
        from petitions.application import Tracker
        from petitions.demo import load_bulk, print_progress

        self.tracker = Tracker(settings, clock=MovingClock())
        self.tracker.load_reference()
        if preload:
            load_bulk(self.tracker, preload,
                      progress=None if quiet else print_progress("preloading"))
        self.done = 0
        self.receipt = None
        self.run(20)  # warm caches (catalog, connections)
        # The store's own share of a command: the time inside the recorder's insert.
        self.inserting = 0.0
        insert = self.tracker.recorder.insert_events

        def timed_insert(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return insert(*args, **kwargs)
            finally:
                self.inserting += time.perf_counter() - started
        self.tracker.recorder.insert_events = timed_insert  # type: ignore[method-assign]

    def run(self, commands: int) -> float:
        """Log ``commands`` petitions; return the seconds taken."""
        started = time.perf_counter()
        for _ in range(commands):
            self.receipt = self.tracker.log_petition(STAFF, **petition_data(self.done))
            self.done += 1
        return time.perf_counter() - started

    def last_event(self) -> Any:
        """Return the stored event of the last petition logged."""
        return self.tracker.recorder.select_events(self.receipt.id, desc=True, limit=1)[0]


class SQLiteBaseline:
    """Raw inserts, one transaction each, into a SQLite table of the event store's shape."""

    def __init__(self, folder: str, state: bytes, topic: str) -> None:
        path = os.path.join(folder, "baseline.sqlite3")
        if os.path.exists(path):
            os.remove(path)
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")  # as eventsourcing.sqlite sets it
        self.conn.execute(
            "CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, "
            "topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))")
        self.state, self.topic = state, topic

    def run(self, rows: int) -> float:
        """Insert ``rows`` rows; return the seconds taken."""
        started = time.perf_counter()
        for _ in range(rows):
            self.conn.execute("BEGIN")
            self.conn.execute("INSERT INTO stored_events VALUES (?,?,?,?)",
                              (str(uuid.uuid4()), 1, self.topic, self.state))
            self.conn.execute("COMMIT")
        return time.perf_counter() - started


class PostgresBaseline:
    """Raw inserts, one transaction each, into a PostgreSQL table of the store's shape."""

    def __init__(self, schema: str, state: bytes, topic: str) -> None:
        self.conn, self.table = common.postgres_events_table(schema)
        self.state, self.topic = state, topic

    def run(self, rows: int) -> float:
        """Insert ``rows`` rows; return the seconds taken."""
        started = time.perf_counter()
        for _ in range(rows):
            self.conn.execute(f"INSERT INTO {self.table} (originator_id, originator_version, "
                              "topic, state) VALUES (%s, 1, %s, %s) RETURNING notification_id",
                              (uuid.uuid4(), self.topic, self.state))
            self.conn.commit()
        return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures and verdict."""
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--commands", type=int, default=1000)
    p.add_argument("--preload", type=int, default=2000)
    p.add_argument("--cache", type=int, default=0,
                   help="try the repository's aggregate cache of this size (with fast-forward)")
    p.add_argument("--counter-snapshots", type=int, default=0,
                   help="try another snapshot interval for the code counter")
    args = p.parse_args(argv)
    if args.cache:
        os.environ["TRACKER_AGGREGATE_CACHE_MAXSIZE"] = str(args.cache)
    if args.counter_snapshots:
        from domain.codes import CodeCounter
        from petitions.application import Tracker

        Tracker.snapshotting_intervals = {**Tracker.snapshotting_intervals,
                                          CodeCounter: args.counter_snapshots}
    common.header("append: log petition vs raw insert", args.store, args.items)
    settings = common.scratch_settings(args.store, "append")
    report = common.Report("append", args.store, args.items,
                           variant=f"cache {args.cache}" if args.cache else "")
    if args.counter_snapshots:
        report.variant = ", ".join(v for v in (report.variant,
                                               f"counter snapshots every {args.counter_snapshots}") if v)
    app = Application(settings, args.preload, args.quiet)
    event = app.last_event()
    base = (SQLiteBaseline(settings.instance_path, event.state, event.topic)
            if args.store == "sqlite" else
            PostgresBaseline(settings.database_schema, event.state, event.topic))
    base.run(20)
    # Alternate rounds of 50, so both see the same load on a shared machine.
    app_seconds = base_seconds = 0.0
    for _ in range(max(1, args.commands // 50)):
        app_seconds += app.run(50)
        base_seconds += base.run(50)
    commands = max(1, args.commands // 50) * 50
    app.tracker.close()
    base.conn.close()
    common.drop_schema(settings)
    app_rate = common.rate(commands, app_seconds)
    base_rate = common.rate(commands, base_seconds)
    report.figure("log_petition commands/s", app_rate)
    report.figure("raw insert transactions/s", base_rate)
    report.figure("event state bytes", len(event.state))
    report.figure("aggregate cache (TRACKER_AGGREGATE_CACHE_MAXSIZE)",
                  os.environ.get("TRACKER_AGGREGATE_CACHE_MAXSIZE", "off"))
    # Where a command's time goes: what the store's insert takes (with its checks: pooled
    # connection pinged, table lock, notification) and what the command does in Python.
    insert_ms = app.inserting / commands * 1000
    report.figure("per command: store insert ms", round(insert_ms, 3))
    report.figure("per command: rules, events and encoding ms",
                  round(app_seconds / commands * 1000 - insert_ms, 3))
    report.figure("raw insert ms", round(base_seconds / commands * 1000, 3))
    report.figure("ceiling with no work outside the store (raw ms / store insert ms)",
                  round(base_seconds / commands * 1000 / insert_ms, 2))
    report.figure("ratio", app_rate / base_rate)
    report.check("append", app_rate / base_rate, "≥", TARGET)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
