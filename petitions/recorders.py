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
from eventsourcing.utils import retry
from psycopg import InterfaceError, OperationalError
from psycopg.sql import SQL, Identifier, Literal

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
    """The library's application recorder, storing a transaction's events with one call of
    a function of ours: the table lock, the notification and the insert of four arrays of
    plain columns, sent in binary (``%b``: no escaping of the states at all)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = dict(schema=Identifier(self.datastore.schema),
                     table=Identifier(self.events_table_name),
                     id_type=Identifier(self.datastore.originator_id_type),
                     function=Identifier(INSERT_FUNCTION),
                     channel=Identifier(self.channel_name))
        # Created once, under an advisory lock: processes starting together would otherwise
        # replace the function at the same moment ("tuple concurrently updated").
        self.sql_create_statements.append(SQL(
            "DO $create$ BEGIN "
            "PERFORM pg_advisory_xact_lock(hashtext('petitions insert function')); "
            "IF to_regprocedure(format('%I.%I({id_type}[], bigint[], text[], bytea[])', "
            "{schema_text}, {function_text})) IS NULL THEN "
            "CREATE FUNCTION {schema}.{function}(ids {id_type}[], versions bigint[], "
            "topics text[], states bytea[]) RETURNS SETOF bigint LANGUAGE plpgsql AS $body$ "
            "BEGIN "
            "SET LOCAL lock_timeout = '{lock_timeout}s'; "
            # The library's reason for the lock: notification ids in commit order, so a
            # reader following the log never passes a gap that a slower commit fills later.
            "LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE; "
            "NOTIFY {channel}; "
            "RETURN QUERY INSERT INTO {schema}.{table} "
            "(originator_id, originator_version, topic, state) "
            "SELECT * FROM unnest(ids, versions, topics, states) RETURNING notification_id; "
            "END $body$; "
            "END IF; END $create$").format(
                **names, lock_timeout=self.datastore.lock_timeout,
                schema_text=Literal(self.datastore.schema), function_text=Literal(INSERT_FUNCTION)))
        self.insert_function_call = SQL(
            "SELECT id FROM {schema}.{function}(%b, %b, %b, %b) AS id").format(**names)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent],
                      **kwargs: Any) -> Sequence[int] | None:
        """Store ``stored_events`` in one statement (its own transaction); return their
        notification ids."""
        if kwargs.get("tracking") is not None or not stored_events:
            return super().insert_events(stored_events, **kwargs)
        # One round trip instead of the library's pipeline of five statements and a
        # commit: a single command's save took 2.7 of its 4 ms in that pipeline.
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.insert_function_call, (
                [s.originator_id for s in stored_events],
                [s.originator_version for s in stored_events],
                [s.topic for s in stored_events], [s.state for s in stored_events]),
                prepare=True)
            return [row["id"] for row in curs.fetchall()]  # the pool's rows are dicts


INSERT_FUNCTION = "petitions_insert_events_v1"
