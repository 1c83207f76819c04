"""The read-model database: one SQLAlchemy engine and metadata shared by every view."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BigInteger, Column, MetaData, String, Table, create_engine, event, inspect, text,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.schema import CreateIndex

metadata = MetaData()
CONNECT_TIMEOUT_SECONDS = 3     # PostgreSQL: how long one connection attempt may take

projection_tracking = Table(
    "projection_tracking", metadata,
    Column("name", String(64), primary_key=True),
    Column("position", BigInteger, nullable=False),
)


class Views:
    """Connects to the read-model database (SQLite file or PostgreSQL schema)."""

    def __init__(self, url: str, schema: str = "", *, echo: bool = False) -> None:
        self.url = url
        self.schema = schema
        self.engine: Engine = make_engine(url, schema, echo=echo)

    @classmethod
    def from_settings(cls, settings: Any) -> Views:
        """Build the views database for ``settings``."""
        return cls(settings.views_url(), settings.database_schema)

    @property
    def dialect(self) -> str:
        """Return ``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def create_all(self) -> None:
        """Create every table registered on the shared metadata (idempotent)."""
        # Importing the view modules registers their tables on ``metadata``.
        import projections.commitments  # noqa: F401
        import projections.documents  # noqa: F401
        import projections.items  # noqa: F401
        import projections.as_of  # noqa: F401  (the dated versions and counter changes)
        import projections.positions  # noqa: F401  (the rows of items changed since a position)
        from projections.chain import create_chain

        from projections import search_index

        metadata.create_all(self.engine)
        self._add_new_columns()
        search_index.create(self.engine)  # filled from the rows if it is new
        create_chain(self.engine)  # not a view (own metadata), but kept beside them
        # create_all skips the indexes of tables that exist: add indexes declared since
        # (IF NOT EXISTS, so processes starting together do not trip over each other).
        with self.engine.begin() as conn:
            for name in projections.items.RETIRED_INDEXES:  # every write paid for them
                conn.execute(text(f"DROP INDEX IF EXISTS {_quote(conn, name)}"))
            for table in metadata.sorted_tables:
                for index in table.indexes:
                    conn.execute(CreateIndex(index, if_not_exists=True))

    def _add_new_columns(self) -> None:
        """Add the nullable columns declared since a table was created (create_all does not).

        Rows projected before keep NULL there until ``projections rebuild``; the queries
        that read such a column say what NULL means.
        """
        inspector = inspect(self.engine)
        for table in metadata.sorted_tables:
            existing = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name in existing or not column.nullable:
                    continue
                kind = column.type.compile(dialect=self.engine.dialect)
                guard = "IF NOT EXISTS " if self.dialect == "postgresql" else ""
                with self.engine.begin() as conn:
                    conn.execute(text(f"ALTER TABLE {_quote(conn, table.name)} ADD COLUMN "
                                      f"{guard}{_quote(conn, column.name)} {kind}"))

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()

    def connect(self) -> Connection:
        """Open a connection (use as a context manager)."""
        return self.engine.connect()

    def begin(self) -> Any:
        """Open a transaction (use as a context manager)."""
        return self.engine.begin()


# Connections kept open per engine: more than a web server's threads (waitress: 8 in the
# benchmarks, the README's deployment), so no request opens one of its own.
POOL_SIZE, MAX_OVERFLOW = 10, 20


def views_engine(settings: Any) -> Engine:
    """Return a new engine on the configured views database (users, outbox, scans share it)."""
    return make_engine(settings.views_url(), settings.database_schema)


def make_engine(url: str, schema: str = "", *, echo: bool = False) -> Engine:
    """Build the one kind of engine every user of the views database gets.

    SQLite: WAL, a 30-second busy timeout and explicit BEGINs; PostgreSQL: a pool whose
    connections search ``schema`` first.
    """
    if url.startswith("sqlite"):
        # A pool as large as PostgreSQL's: with the default five, a server's sixth to
        # eighth threads opened a connection (and ran the pragmas) for each request.
        # (An in-memory database has a single-connection pool, which takes no sizes.)
        in_memory = url in ("sqlite://", "sqlite:///:memory:") or "mode=memory" in url
        sizes = {} if in_memory else {"pool_size": POOL_SIZE, "max_overflow": MAX_OVERFLOW}
        engine = create_engine(url, echo=echo, connect_args={"timeout": 30}, **sizes)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # WAL lets readers (web) work while the projector writes. The driver's own
            # transaction handling is replaced by explicit BEGINs (SQLAlchemy's sqlite recipe);
            # writers start with a write statement, so they never upgrade a read lock.
            dbapi_conn.isolation_level = None
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN")

        return engine
    # Fail fast when the server is away (the web answers 503, the CLI one line).
    connect_args: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
    if schema:
        connect_args["options"] = f"-csearch_path={schema}"
    return create_engine(
        url, echo=echo, pool_size=POOL_SIZE, max_overflow=MAX_OVERFLOW, pool_pre_ping=True,
        connect_args=connect_args,
    )


def upsert(conn: Connection, table: Table, rows: list[dict[str, Any]], keys: list[str]) -> None:
    """Insert ``rows`` or replace the existing rows with the same ``keys``."""
    if not rows:
        return
    columns = list(rows[0])
    updated = [c for c in columns if c not in keys]
    sets = ", ".join(f"{_quote(conn, c)} = excluded.{_quote(conn, c)}" for c in updated)
    _execute_many(conn, table, columns, keys, sets, [tuple([r[c] for c in columns]) for r in rows])


def add_counts(conn: Connection, table: Table, deltas: dict[tuple[Any, ...], int],
               keys: list[str], value: str = "n") -> None:
    """Add each delta to the counter row with those keys, creating rows as needed."""
    params = [(*key, delta) for key, delta in deltas.items() if delta]
    if not params:
        return
    column = _quote(conn, value)
    sets = f"{column} = {_quote(conn, table.name)}.{column} + excluded.{column}"
    _execute_many(conn, table, [*keys, value], keys, sets, params)


def _execute_many(conn: Connection, table: Table, columns: list[str], keys: list[str],
                  sets: str, params: list[Sequence[Any]]) -> None:
    # One prepared INSERT … ON CONFLICT run with the driver's executemany: the projector
    # writes thousands of rows per batch, and building SQLAlchemy parameter sets for each
    # row cost more than the database's own work. Values go through the columns' own bind
    # processors, so rows read back exactly as through SQLAlchemy (dates, booleans).
    dialect = conn.dialect
    processors = [(i, process) for i, c in enumerate(columns)
                  if (process := table.c[c].type._cached_bind_processor(dialect)) is not None]
    if processors:
        params = [_processed(row, processors) for row in params]
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    names = ", ".join(_quote(conn, c) for c in columns)
    conflict = ", ".join(_quote(conn, c) for c in keys)
    tail = f" ON CONFLICT ({conflict}) DO UPDATE SET {sets}"
    if dialect.name != "postgresql":
        # SQLite's executemany runs the prepared statement in C: as fast as it gets.
        one = f"({', '.join([marker] * len(columns))})"
        conn.exec_driver_sql(f"INSERT INTO {_quote(conn, table.name)} ({names}) VALUES "
                             + one + tail, params)
        return
    # psycopg's executemany sends one statement per row (pipelined). One array per column
    # unnested on the server is a single statement for thousands of rows. Keys are unique
    # within ``params``, so no statement updates a row twice.
    types = [table.c[c].type.compile(dialect=dialect) for c in columns]
    arrays = ", ".join(f"%b::{t}[]" for t in types)  # binary: no per-element quoting
    sql = (f"INSERT INTO {_quote(conn, table.name)} ({names}) "
           f"SELECT * FROM unnest({arrays})" + tail)
    conn.exec_driver_sql(sql, tuple(list(column) for column in zip(*params)))


def _processed(row: Sequence[Any], processors: list[tuple[int, Any]]) -> tuple[Any, ...]:
    values = list(row)
    for i, process in processors:
        value = values[i]
        if value is not None:
            values[i] = process(value)
    return tuple(values)


def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def read_position(conn: Connection, name: str) -> int:
    """Return the tracked position of view ``name`` (0 if it never ran)."""
    value = conn.execute(
        text("SELECT position FROM projection_tracking WHERE name = :n"), {"n": name}
    ).scalar()
    return int(value or 0)
