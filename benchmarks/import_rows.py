"""Benchmark — import rows: spreadsheet intake vs the same records inserted raw, per batch.

The application path reads a CSV file of ``--items`` voter-petition rows, checks every row
with the domain rules (units, groups and sessions on the meeting date), looks up each row's
fingerprint marker, and saves each batch (code counter block, the petitions, their markers)
in one transaction. The baseline then inserts exactly the stored records the import wrote
(same topics, same state bytes) into a table of the event store's shape, one transaction
per batch of the same size, with the same driver and durability. Target: ≥ 0.6× the
baseline (the batch path is where the append target is reachable). Two ratios are printed:
the import phase alone (rows checked before, as after a preview) and the whole run with
reading and checking the file.

    python3 -m benchmarks.import_rows --items 10000 [--store sqlite|postgres] [--batch 200]
"""
from __future__ import annotations

import os
import sqlite3
import sys
import time
from datetime import datetime, timezone
from typing import Any

from benchmarks import common
from domain.actor import Actor, Role

TARGET = 0.6
HEADER = ('Ngày tiếp xúc cử tri,Địa điểm tiếp xúc,"Đơn vị (phường, xã)",Tổ đại biểu,Kỳ họp,'
          "Lĩnh vực,Trích yếu nội dung,Nội dung kiến nghị,Cử tri kiến nghị\n")
OFFICE = Actor("bench", Role.SECRETARIAT)


class Clock:
    """A fixed "now" in the new era (wards, term XVII)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


def rows_csv(count: int, offset: int = 0) -> bytes:
    """Return a CSV file of ``count`` distinct valid petition rows."""
    lines = [HEADER]
    for i in range(offset, offset + count):
        lines.append(
            f"10/11/2026,Nhà văn hóa tổ dân phố {i % 40},Phường Ba Đình,XVII-to-01,XVII-03,"
            f"Giao thông,Lắp đèn tín hiệu tại nút giao số {i},\"Cử tri đề nghị lắp đèn tín hiệu "
            f"và vạch sơn tại nút giao số {i} phố Quán Thánh, giờ cao điểm thường ùn tắc.\","
            f"Ông Nguyễn Văn An; bà Trần Thị Bình\n")
    return "".join(lines).encode("utf-8")


def sqlite_baseline(folder: str, records: list[tuple[Any, ...]], batch: int) -> float:
    """Insert ``records`` in transactions of ``batch`` rows' records; return the seconds."""
    path = os.path.join(folder, "baseline.sqlite3")
    if os.path.exists(path):
        os.remove(path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")  # as eventsourcing.sqlite sets it
    conn.execute("CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, "
                 "topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))")
    started = time.perf_counter()
    for chunk in _chunks(records, batch):
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO stored_events VALUES (?,?,?,?)",
                         [(str(r[0]), r[1], r[2], r[3]) for r in chunk])
        conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


def postgres_baseline(schema: str, records: list[tuple[Any, ...]], batch: int) -> float:
    """Insert ``records`` into a PostgreSQL table of the store's shape, a batch a transaction."""
    import psycopg

    with psycopg.connect(common.PG_URL) as conn:
        table = f'"{schema}".baseline_events'
        conn.execute(f"CREATE TABLE {table} (originator_id uuid NOT NULL, originator_version "
                     "bigint NOT NULL, topic text, state bytea, notification_id bigserial, "
                     "PRIMARY KEY (originator_id, originator_version))")
        conn.execute(f"CREATE UNIQUE INDEX ON {table} (notification_id)")
        conn.commit()
        started = time.perf_counter()
        for chunk in _chunks(records, batch):
            with conn.cursor() as cur:
                cur.executemany(f"INSERT INTO {table} (originator_id, originator_version, "
                                "topic, state) VALUES (%s, %s, %s, %s)", chunk)
            conn.commit()
        return time.perf_counter() - started


def _chunks(records: list[Any], batch: int) -> list[list[Any]]:
    # One batch of rows wrote two records a row (item, marker) plus its counter's block.
    size = batch * 2 + 1
    return [records[i:i + size] for i in range(0, len(records), size)]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures and verdict."""
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--batch", type=int, default=200)
    args = p.parse_args(argv)
    from petitions.application import Tracker

    common.header("import rows: spreadsheet intake vs raw inserts per batch", args.store,
                  args.items)
    settings = common.scratch_settings(args.store, "import-rows")
    report = common.Report("import_rows", args.store, args.items,
                           variant=f"batch {args.batch}" if args.batch != 200 else "")
    tracker = Tracker(settings, clock=Clock())
    tracker.load_reference()
    tracker.import_intake(OFFICE, rows_csv(50, offset=10**6), "warm.csv")  # caches
    start_position = tracker.position()
    content = rows_csv(args.items)

    started = time.perf_counter()
    checked = tracker.check_intake(OFFICE, content, "rows.csv")
    check_seconds = time.perf_counter() - started
    pending = [r for r in checked.rows if r.status == "valid"]
    started = time.perf_counter()
    for i in range(0, len(pending), args.batch):
        tracker.import_rows(OFFICE, pending[i:i + args.batch], source="rows.csv")
    import_seconds = time.perf_counter() - started
    imported = sum(1 for r in pending if r.status == "imported")

    records = [(n.originator_id, n.originator_version, n.topic, n.state)
               for n in tracker.recorder.select_notifications(
                   start_position + 1, limit=10 * args.items + 100)]
    again = time.perf_counter()
    repeat = tracker.import_intake(OFFICE, content, "rows.csv")
    again_seconds = time.perf_counter() - again
    tracker.close()
    base_seconds = (sqlite_baseline(settings.instance_path, records, args.batch)
                    if args.store == "sqlite" else
                    postgres_baseline(settings.database_schema, records, args.batch))
    common.drop_schema(settings)

    report.figure("rows imported", imported)
    report.figure("stored records written", len(records))
    report.figure("check seconds (read + every row checked)", check_seconds)
    report.figure("import seconds (batches)", import_seconds)
    report.figure("raw insert seconds (same records, per batch)", base_seconds)
    report.figure("rows/s import phase", common.rate(imported, import_seconds))
    report.figure("rows/s whole run", common.rate(imported, check_seconds + import_seconds))
    report.figure("rows/s raw", common.rate(imported, base_seconds))
    report.figure("second run: rows added", repeat.count("imported"))
    report.figure("second run seconds", again_seconds)
    report.figure("ratio (import phase)", base_seconds / import_seconds)
    report.figure("ratio (whole run)", base_seconds / (check_seconds + import_seconds))
    report.check("import phase", base_seconds / import_seconds, "≥", TARGET)
    report.check("whole run", base_seconds / (check_seconds + import_seconds), "≥", TARGET)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
