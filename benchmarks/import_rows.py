"""Benchmark — import rows: spreadsheet intake vs the same records inserted raw, per batch.

The application path reads a CSV file of ``--items`` voter-petition rows, checks every row
with the domain rules (units, groups and sessions on the meeting date), and then imports
the valid rows in batches: each batch (code counter block, the petitions, their markers)
in one transaction. The baseline inserts exactly the stored records the import wrote (same
topics, same state bytes) into a table of the event store's shape, one transaction per
batch of the same size, with the same driver and durability. Target: the import phase
≥ 0.6× the baseline (the batch path is where the append target is reachable; it is the
import request the office sends after the preview, which checked the rows).

Each of ``--rounds`` rounds imports a new file of ``--items`` rows into the same store, and
inserts its records into the same baseline table, so both tables grow alike; the verdict
is on the median round. The whole run (reading and checking the file, then importing) is
printed beside it, not judged: the raw insert has nothing that reads a spreadsheet or
checks a row against the reference data of the meeting's date.

    python3 -m benchmarks.import_rows --items 10000 [--store sqlite|postgres] [--batch 200]
                                      [--rounds 5]
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


class SQLiteBaseline:
    """A table of the SQLite event store's shape, filled a batch a transaction."""

    def __init__(self, folder: str) -> None:
        path = os.path.join(folder, "baseline.sqlite3")
        if os.path.exists(path):
            os.remove(path)
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")  # as eventsourcing.sqlite sets it
        self.conn.execute("CREATE TABLE stored_events (originator_id TEXT, originator_version "
                          "INTEGER, topic TEXT, state BLOB, "
                          "PRIMARY KEY (originator_id, originator_version))")

    def insert(self, records: list[tuple[Any, ...]], batch: int) -> float:
        """Insert ``records`` in transactions of ``batch`` rows' records; return the seconds."""
        started = time.perf_counter()
        for chunk in _chunks(records, batch):
            self.conn.execute("BEGIN")
            self.conn.executemany("INSERT INTO stored_events VALUES (?,?,?,?)",
                                  [(r[0].hex, r[1], r[2], r[3]) for r in chunk])
            self.conn.execute("COMMIT")
        return time.perf_counter() - started

    def close(self) -> None:
        self.conn.close()


class PostgresBaseline:
    """A PostgreSQL table of the store's shape, filled a batch a transaction."""

    def __init__(self, schema: str) -> None:
        self.conn, self.table = common.postgres_events_table(schema)

    def insert(self, records: list[tuple[Any, ...]], batch: int) -> float:
        """Insert ``records`` a batch a transaction; return the seconds."""
        started = time.perf_counter()
        for chunk in _chunks(records, batch):
            with self.conn.cursor() as cur:
                cur.executemany(f"INSERT INTO {self.table} (originator_id, originator_version, "
                                "topic, state) VALUES (%s, %s, %s, %s)", chunk)
            self.conn.commit()
        return time.perf_counter() - started

    def close(self) -> None:
        self.conn.close()


def _chunks(records: list[Any], batch: int) -> list[list[Any]]:
    # One batch of rows wrote two records a row (item, marker) plus its counter's block.
    size = batch * 2 + 1
    return [records[i:i + size] for i in range(0, len(records), size)]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures and verdict."""
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--batch", type=int, default=200)
    p.add_argument("--rounds", type=int, default=5)
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
    baseline = (SQLiteBaseline(settings.instance_path) if args.store == "sqlite"
                else PostgresBaseline(settings.database_schema))
    # The baseline's table starts as full as the store (reference data, the warm-up file),
    # so both insert into tables of the same size.
    before = [(n.originator_id, n.originator_version, n.topic, n.state)
              for n in tracker.recorder.select_notifications(1, limit=10**7)]
    baseline.insert(before, len(before))
    report.figure("stored records before the first round", len(before))
    rounds = []
    for round_number in range(args.rounds):
        start_position = tracker.position()
        content = rows_csv(args.items, offset=round_number * args.items)
        started = time.perf_counter()
        checked = tracker.check_intake(OFFICE, content, f"rows-{round_number}.csv")
        check_seconds = time.perf_counter() - started
        pending = [r for r in checked.rows if r.status == "valid"]
        started = time.perf_counter()
        tracker.import_checked(OFFICE, pending, source=f"rows-{round_number}.csv",
                               batch=args.batch)
        import_seconds = time.perf_counter() - started
        records = [(n.originator_id, n.originator_version, n.topic, n.state)
                   for n in tracker.recorder.select_notifications(
                       start_position + 1, limit=10 * args.items + 100)]
        base_seconds = baseline.insert(records, args.batch)
        imported = sum(1 for r in pending if r.status == "imported")
        rounds.append((imported, len(records), check_seconds, import_seconds, base_seconds))
        print(f"  round {round_number + 1}: {imported:,} rows, check {check_seconds:.3f} s, "
              f"import {import_seconds:.3f} s, raw {base_seconds:.3f} s, "
              f"ratio {base_seconds / import_seconds:.2f}×")
    again = time.perf_counter()
    repeat = tracker.import_intake(OFFICE, rows_csv(args.items), "rows-0.csv")
    again_seconds = time.perf_counter() - again
    tracker.close()
    baseline.close()
    common.drop_schema(settings)

    middle = sorted(rounds, key=lambda r: r[4] / r[3])[len(rounds) // 2]
    imported, written, check_seconds, import_seconds, base_seconds = middle
    report.figure("rounds (each a new file, same store)", len(rounds))
    report.figure("median round: rows imported", imported)
    report.figure("median round: stored records written", written)
    report.figure("check seconds (read + every row checked)", check_seconds)
    report.figure("import seconds (batches)", import_seconds)
    report.figure("raw insert seconds (same records, per batch)", base_seconds)
    report.figure("rows/s import phase", common.rate(imported, import_seconds))
    report.figure("rows/s whole run", common.rate(imported, check_seconds + import_seconds))
    report.figure("rows/s raw", common.rate(imported, base_seconds))
    report.figure("ratio of each round (import phase)",
                  " ".join(f"{r[4] / r[3]:.2f}" for r in rounds))
    report.figure("second run of the first file: rows added", repeat.count("imported"))
    report.figure("second run seconds", again_seconds)
    report.figure("ratio (whole run, not judged)", base_seconds / (check_seconds + import_seconds))
    report.figure("ratio (import phase, median round)", base_seconds / import_seconds)
    report.check("import phase", base_seconds / import_seconds, "≥", TARGET)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
