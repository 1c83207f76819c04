"""Copy a generated SQLite event store into a PostgreSQL data set, events unchanged.

Generating items on PostgreSQL through the aggregates ran at 77–400 items/s (1–3 hours for
1M); the events themselves do not depend on the store. This copies the SQLite data set's
stored events — the same originator id, version, topic and state bytes, at the same
notification position (SQLite's rowid) — and its snapshots into the tracker's PostgreSQL
tables with COPY, sets the notification sequence after them, and projects them with the
PostgreSQL projector (items view, boards, full-text index, hash chain), which is then timed
by the benchmarks like any other data set. Code counters are aggregates like the items, so
they come across as events; users and sessions are made by the benchmarks themselves.

    python3 -m benchmarks.copy_store --items 71792 [--views]

With ``--views`` the SQLite data set's projected views are copied too, row for row, instead
of being projected again: the views are a function of the events, and the PostgreSQL
projector's rate is what the projection benchmark measures (at 1M, projecting again took
longer than a session). The full-text index is then made from the copied rows, by
PostgreSQL's own ``search_index.create``.

It reads ``benchmarks/data/sqlite-<items>/events.sqlite3`` (generated; its views need not be) and writes the schema
``bench_<items>`` and ``benchmarks/data/postgres-<items>/ready.json``.
"""
from __future__ import annotations

import json
import sqlite3
import sys
import time
import uuid
from datetime import datetime, timezone

from benchmarks import common

PAGE = 20_000


def copy_events(items: int, quiet: bool = False) -> int:
    """Copy every stored event and snapshot; return the events copied."""
    import psycopg

    from petitions.application import Tracker

    source = common.DATA / f"sqlite-{items}" / "events.sqlite3"
    settings = common.scratch_settings("postgres", str(items))
    Tracker(settings).close()  # creates the tracker's tables in the new schema
    schema = settings.database_schema
    lite = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    copied = 0
    started = time.perf_counter()
    with psycopg.connect(common.PG_URL) as pg:
        for table, target, ordered in (("stored_events", "tracker_events", "rowid"),
                                       ("stored_snapshots", "tracker_snapshots", None)):
            columns = "originator_id, originator_version, topic, state"
            extra = ", notification_id" if ordered else ""
            query = f"SELECT {columns}{', rowid' if ordered else ''} FROM {table}"
            with pg.cursor() as cur, cur.copy(
                    f'COPY "{schema}".{target} ({columns}{extra}) FROM STDIN') as copy:
                for row in lite.execute(query + (f" ORDER BY {ordered}" if ordered else "")):
                    copy.write_row((uuid.UUID(row[0]), row[1], row[2], row[3], *row[4:]))
                    if ordered:
                        copied += 1
                        if not quiet and copied % PAGE == 0:
                            common.note(f"copied {copied:,} events "
                                        f"({copied / (time.perf_counter() - started):,.0f}/s)")
        pg.execute(f"SELECT setval(pg_get_serial_sequence('\"{schema}\".tracker_events', "
                   f"'notification_id'), (SELECT max(notification_id) FROM \"{schema}\".tracker_events))")
        pg.commit()
    return copied


def copy_views(items: int, quiet: bool = False) -> int:
    """Copy every row of the SQLite data set's views into the PostgreSQL one; return rows."""
    from sqlalchemy import create_engine, insert, select, text

    from projections import search_index
    from projections.chain import chain_metadata
    from projections.store import Views, metadata

    views = Views.from_settings(common.dataset_settings("postgres", items))
    views.create_all()
    source = create_engine(f"sqlite:///file:{common.DATA / f'sqlite-{items}' / 'views.sqlite3'}"
                           "?mode=ro&uri=true")
    copied = 0
    started = time.perf_counter()
    for table in (*metadata.sorted_tables, *chain_metadata.sorted_tables):
        with source.connect() as lite, views.engine.begin() as pg:
            pg.execute(table.delete())
            rows = lite.execution_options(yield_per=PAGE).execute(select(table))
            for part in rows.partitions():
                pg.execute(insert(table), [r._asdict() for r in part])
                copied += len(part)
                if not quiet:
                    common.note(f"copied {copied:,} view rows ({table.name}; "
                                f"{copied / (time.perf_counter() - started):,.0f}/s)")
    with views.engine.begin() as pg:  # the index is made again from the rows just copied
        pg.execute(text(f"COMMENT ON TABLE {search_index.PG_TABLE} IS NULL"))
    search_index.create(views.engine)
    views.dispose()
    source.dispose()
    return copied


def main(argv: list[str] | None = None) -> int:
    """Copy, project, analyse and mark the PostgreSQL data set ready."""
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--views", action="store_true",
                   help="copy the SQLite data set's views instead of projecting again")
    args = p.parse_args(argv)
    folder = common.DATA / f"sqlite-{args.items}"
    info = json.loads(next(f for f in (folder / "ready.json", folder / "generated.json")
                           if f.exists()).read_text())
    started = time.perf_counter()
    events = copy_events(args.items, args.quiet)
    copied = time.perf_counter() - started
    settings = common.dataset_settings("postgres", args.items)
    started = time.perf_counter()
    if args.views:
        # The events may be copied while the SQLite views are still being projected.
        while not (common.DATA / f"sqlite-{args.items}" / "ready.json").exists():
            time.sleep(10)
        copy_views(args.items, args.quiet)
    else:
        common.project(settings, quiet=args.quiet,
                       label=f"projecting {events:,} copied events (postgres)")
    projected = time.perf_counter() - started
    common.analyze_schema(settings.database_schema)  # the events too (see there)
    folder = common.DATA / f"postgres-{args.items}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ready.json").write_text(json.dumps({
        "items": args.items, "events": events, "copied_from": f"sqlite-{args.items}",
        "copy_seconds": round(copied, 1), "project_seconds": round(projected, 1),
        "views": "copied from SQLite" if args.views else "projected",
        "generate_seconds": info.get("generate_seconds"), "store": "postgres",
        "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}, indent=1))
    common.note(f"postgres data set ready: {events:,} events copied in {copied:,.0f} s, "
                f"projected in {projected:,.0f} s", args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
