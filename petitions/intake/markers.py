"""Find many row markers at once: one query per 500 ids instead of one per row.

Marker ids are derived from row fingerprints (``domain.intake.ImportedRow``). The library
reads one aggregate at a time; checking a 10,000-row file that way is 10,000 round trips,
so the stores the tracker runs on (SQLite, PostgreSQL) are asked with one ``IN`` query per
chunk, on the recorder's own table; any other recorder is asked id by id.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

CHUNK = 500


def find_markers(recorder: Any, ids: Iterable[UUID]) -> dict[UUID, StoredEvent]:
    """Return the first stored event of each id that has one."""
    wanted = list(dict.fromkeys(ids))
    found: dict[UUID, StoredEvent] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start:start + CHUNK]
        for event in _select(recorder, chunk):
            found[UUID(str(event.originator_id))] = event
    return found


def _select(recorder: Any, ids: list[UUID]) -> list[StoredEvent]:
    from eventsourcing.postgres import PostgresAggregateRecorder
    from eventsourcing.sqlite import SQLiteAggregateRecorder

    if isinstance(recorder, SQLiteAggregateRecorder):
        marks = ",".join("?" * len(ids))
        statement = (f"SELECT * FROM {recorder.events_table_name} WHERE originator_id IN "
                     f"({marks}) AND originator_version=1")
        with recorder.datastore.transaction(commit=False) as c:
            c.execute(statement, [i.hex for i in ids])
            return [StoredEvent(recorder.convert_originator_id(r["originator_id"]),
                                r["originator_version"], r["topic"], r["state"])
                    for r in c.fetchall()]
    if isinstance(recorder, PostgresAggregateRecorder):
        from psycopg.sql import SQL, Identifier

        statement = SQL("SELECT * FROM {schema}.{table} WHERE originator_id = ANY(%s) "
                        "AND originator_version = 1").format(
            schema=Identifier(recorder.datastore.schema),
            table=Identifier(recorder.events_table_name))
        with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, [ids])
            return [StoredEvent(r["originator_id"], r["originator_version"], r["topic"],
                                bytes(r["state"])) for r in curs.fetchall()]
    return [e for i in ids for e in recorder.select_events(i, limit=1)]
