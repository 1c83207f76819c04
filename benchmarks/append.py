"""Benchmark 1 — append: log-petition commands per second through the application.

Each command is one transaction (code allocation, the petition, its event), as when a
district officer submits the form. The baseline inserts, one transaction each, a row of the
same shape and size as the petition's stored event into a table of the event store's
shape, with the same driver and durability setting (SQLite WAL with its default
synchronous=FULL; PostgreSQL with synchronous_commit on). Target: ≥ 0.6× the baseline.

    python3 -m benchmarks.append --items 10000 [--store sqlite|postgres] [--cache 1000]

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


def run_application(settings: Any, commands: int, preload: int, quiet: bool) -> dict[str, Any]:
    """Time ``commands`` log-petition commands after ``preload`` bulk items."""
    from petitions.application import Tracker
    from petitions.bulk import load_bulk, print_progress

    tracker = Tracker(settings, clock=MovingClock())
    tracker.load_reference()
    if preload:
        load_bulk(tracker, preload, progress=None if quiet else print_progress("preloading"))
    for i in range(20):  # warm caches (catalog, connections)
        tracker.log_petition(STAFF, **petition_data(i))
    started = time.perf_counter()
    for i in range(commands):
        receipt = tracker.log_petition(STAFF, **petition_data(i))
    seconds = time.perf_counter() - started
    event = tracker.recorder.select_events(receipt.id, desc=True, limit=1)[0]
    tracker.close()
    return {"seconds": seconds, "state": event.state, "topic": event.topic}


def run_baseline_sqlite(folder: str, rows: int, state: bytes, topic: str) -> float:
    """Insert ``rows`` rows one transaction each into a SQLite table of the store's shape."""
    path = os.path.join(folder, "baseline.sqlite3")
    if os.path.exists(path):
        os.remove(path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")  # as eventsourcing.sqlite sets it
    conn.execute("CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, "
                 "topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))")
    started = time.perf_counter()
    for _ in range(rows):
        conn.execute("BEGIN")
        conn.execute("INSERT INTO stored_events VALUES (?,?,?,?)",
                     (str(uuid.uuid4()), 1, topic, state))
        conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


def run_baseline_postgres(schema: str, rows: int, state: bytes, topic: str) -> float:
    """Insert ``rows`` rows one transaction each into a PostgreSQL table of the store's shape."""
    import psycopg

    with psycopg.connect(common.PG_URL) as conn:
        conn.execute(f'CREATE TABLE "{schema}".baseline_events (originator_id uuid NOT NULL, '
                     "originator_version bigint NOT NULL, topic text, state bytea, "
                     "notification_id bigserial, PRIMARY KEY (originator_id, originator_version))")
        conn.execute(f'CREATE UNIQUE INDEX ON "{schema}".baseline_events (notification_id)')
        conn.commit()
        started = time.perf_counter()
        for _ in range(rows):
            conn.execute(f'INSERT INTO "{schema}".baseline_events '
                         "(originator_id, originator_version, topic, state) "
                         "VALUES (%s, 1, %s, %s) RETURNING notification_id",
                         (uuid.uuid4(), topic, state))
            conn.commit()
        return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures and verdict."""
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--commands", type=int, default=1000)
    p.add_argument("--preload", type=int, default=2000)
    p.add_argument("--cache", type=int, default=0,
                   help="try the repository's aggregate cache of this size (with fast-forward)")
    args = p.parse_args(argv)
    if args.cache:
        os.environ["TRACKER_AGGREGATE_CACHE_MAXSIZE"] = str(args.cache)
    common.header("append: log petition vs raw insert", args.store, args.items)
    settings = common.scratch_settings(args.store, "append")
    report = common.Report("append", args.store, args.items)
    app = run_application(settings, args.commands, args.preload, args.quiet)
    if args.store == "sqlite":
        base = run_baseline_sqlite(settings.instance_path, args.commands, app["state"],
                                   app["topic"])
    else:
        base = run_baseline_postgres(settings.database_schema, args.commands, app["state"],
                                     app["topic"])
    common.drop_schema(settings)
    app_rate = common.rate(args.commands, app["seconds"])
    base_rate = common.rate(args.commands, base)
    report.figure("log_petition commands/s", app_rate)
    report.figure("raw insert transactions/s", base_rate)
    report.figure("event state bytes", len(app["state"]))
    report.figure("aggregate cache (TRACKER_AGGREGATE_CACHE_MAXSIZE)",
                  os.environ.get("TRACKER_AGGREGATE_CACHE_MAXSIZE", "off"))
    report.figure("ratio", app_rate / base_rate)
    report.check("append", app_rate / base_rate, "≥", TARGET)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
