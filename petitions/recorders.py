"""The event recorders, storing a transaction's events with one statement of plain columns.

A spreadsheet import stores hundreds of events a transaction (``petitions.intake``).

SQLite: the library's recorder runs one INSERT an event, to read each event's notification
id (its rowid) back; the statements were a fifth of an import's time. The events of a
transaction take consecutive rowids: the first insert holds SQLite's write lock until the
commit, no other writer comes in between, and a new rowid is one more than the largest
(no row is given its own). So the last rowid tells every one.

PostgreSQL: the library sends the events as one array of a composite type, which psycopg
writes out in Python, escaping every state with a regular expression: 55 % of an import's
time. Four arrays of plain columns are written by psycopg's C dumpers. The table lock and
the notification that the library's insert takes and sends come first, as there.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from psycopg import Cursor
from psycopg.sql import SQL, Identifier

# APPLICATION_RECORDER_TOPIC (petitions.settings)
SQLITE = "petitions.recorders:SQLiteRecorder"
POSTGRES = "petitions.recorders:PostgresRecorder"


class SQLiteRecorder(SQLiteApplicationRecorder):
    """The library's application recorder, inserting many events with ``executemany``."""

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> Sequence[int] | None:
        if len(stored_events) < 2:
            return super()._insert_events(c, stored_events, **kwargs)
        c.executemany(self.insert_events_statement, [
            (s.originator_id.hex if isinstance(s.originator_id, UUID) else s.originator_id,
             s.originator_version, s.topic, s.state) for s in stored_events])
        c.execute("SELECT last_insert_rowid()")
        last = c.fetchone()[0]
        return list(range(last - len(stored_events) + 1, last + 1))


class PostgresRecorder(PostgresApplicationRecorder):
    """The library's application recorder, sending the events as arrays of plain columns
    in binary (``%b``: no escaping of the states at all)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.insert_columns_statement = SQL(
            "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state) "
            "SELECT * FROM unnest(%b::{id_type}[], %b::bigint[], %b::text[], %b::bytea[]) "
            "RETURNING notification_id"
        ).format(schema=Identifier(self.datastore.schema),
                 table=Identifier(self.events_table_name),
                 id_type=Identifier(self.datastore.originator_id_type))

    def _insert_stored_events(self, curs: Cursor[Any], stored_events: Sequence[StoredEvent],
                              **kwargs: Any) -> None:
        self._lock_table(curs)
        self._notify_channel(curs)
        curs.execute(self.insert_columns_statement, (
            [s.originator_id for s in stored_events],
            [s.originator_version for s in stored_events],
            [s.topic for s in stored_events], [s.state for s in stored_events]))
