"""Check that a store is whole: the hash chain against the events, the views against a rebuild.

``check_chain`` names the first event that no longer matches its link — by position, item
code and time — so an auditor can find it; ``check_views`` rebuilds the views into a scratch
database and compares them row by row with the live ones (after a restore, for example).
"""
from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from projections.chain import Break, Verification, chain_head, verify_chain
from projections.items import items_view
from projections.runner import Projector, default_projections
from projections.store import Views, metadata, projection_tracking

REASONS = {
    "changed": "its stored bytes differ from the ones chained (or its recorded link was altered)",
    "missing": "it was chained but is gone from the store",
    "added": "it is in the store below the chain's head but was never chained (or its link "
             "was removed)",
}


@dataclass(frozen=True)
class ChainReport:
    """The chain check, with the broken event described for people."""

    verification: Verification
    code: str | None = None          # item code of the broken event's item, if it is an item
    recorded_at: datetime | None = None
    time_note: str = ""              # why the time is approximate or unknown

    @property
    def ok(self) -> bool:
        """Tell whether the chain matched the store."""
        return self.verification.ok

    def lines(self, zone: Any) -> list[str]:
        """Return what ``petitions verify`` prints."""
        v = self.verification
        if v.broken is None:
            lines = [f"Hash chain: intact — {v.checked:,} events checked, head {v.head}."]
            if v.unchained:
                lines.append(f"{v.unchained:,} newer events are not chained yet (the projector "
                             "chains them: `petitions project --once`).")
            return lines
        b = v.broken
        what = self.code or f"aggregate {b.originator_id}"
        kind = b.topic.rsplit(".", 1)[-1] if b.topic else ""
        when = (f"dated {self.recorded_at.astimezone(zone):%Y-%m-%d %H:%M:%S} ({zone.key})"
                if self.recorded_at else "time unknown")
        if self.time_note:
            when += f" {self.time_note}"
        detail = ", ".join(part for part in (what, f"version {b.originator_version}", kind, when)
                           if part)
        return [f"Hash chain: BROKEN at event {b.position:,} ({detail}): {REASONS[b.reason]}.",
                f"{v.checked:,} events before it matched; events after it were not checked."]


    def link_line(self, runtime: Any, position: int) -> str:
        """Say which link the chain holds at ``position`` (what a digest printed there)."""
        v = self.verification
        with runtime.views.connect() as conn:
            head = chain_head(conn, at_most=position)
        if head.position != position:
            return (f"Event {position:,} is not in the chain (its last link at or before it: "
                    f"{head}).")
        if v.broken is not None and v.broken.position <= position:
            return (f"Link at event {position:,}: {head.short} — not to be trusted: the chain "
                    f"breaks at event {v.broken.position:,}, before it.")
        if position > v.head.position:
            return f"Link at event {position:,}: {head.short} (chained after this check began)."
        return f"Link at event {position:,}: {head.short} (checked against the store)."


def check_chain(runtime: Any) -> ChainReport:
    """Recompute the hash chain from the store and describe the first break, if any."""
    verification = verify_chain(runtime.tracker.recorder, runtime.views.engine)
    broken = verification.broken
    if broken is None:
        return ChainReport(verification)
    with runtime.views.connect() as conn:
        code = conn.execute(select(items_view.c.code)
                            .where(items_view.c.id == broken.originator_id)).scalar()
    recorded_at, note = _event_time(runtime, broken)
    return ChainReport(verification, code, recorded_at, note)


def _event_time(runtime: Any, broken: Break) -> tuple[datetime | None, str]:
    """Return when the broken event was recorded, or else the time of the event before it."""
    tracker = runtime.tracker
    if broken.reason != "missing":
        when = _decoded_time(tracker, broken.position)
        if when is not None:
            return when, ""
    with runtime.views.connect() as conn:
        previous = chain_head(conn, at_most=broken.position - 1).position
    if previous and (when := _decoded_time(tracker, previous)) is not None:
        return when, "or later (the time of the event before it: its own bytes do not decode)"
    return None, ""


def _decoded_time(tracker: Any, position: int) -> datetime | None:
    page = tracker.recorder.select_notifications(start=position, limit=1, stop=position)
    if not page:
        return None
    try:
        event = tracker.mapper.to_domain_event(page[0])
    except Exception:  # changed bytes, or encrypted without the key: the time is unknown
        return None
    # The time the event itself carries (the office's clock), else when it was stored.
    return getattr(event, "at", None) or event.timestamp


# -- views against a rebuild -----------------------------------------------------------------
@dataclass(frozen=True)
class ViewsReport:
    """The comparison of the live views with a rebuild from the events."""

    position: int
    differences: dict[str, int]      # table name → rows that differ

    @property
    def ok(self) -> bool:
        """Tell whether the rebuild equals the views."""
        return not self.differences

    def lines(self) -> list[str]:
        """Return what ``petitions verify --views`` prints."""
        if self.ok:
            return [f"Views: equal to a rebuild from the events (up to event {self.position:,})."]
        tables = ", ".join(f"{name} ({n} rows)" for name, n in sorted(self.differences.items()))
        return [f"Views: DIFFER from a rebuild up to event {self.position:,}: {tables}. "
                "Run `petitions projections rebuild` to recompute them."]


def check_views(runtime: Any) -> ViewsReport:
    """Bring the views up to the log's head, rebuild them elsewhere, and compare the two."""
    runtime.projector.catch_up()
    with scratch_views(runtime.settings) as scratch:
        app = runtime.tracker
        rebuilt = Projector(app, scratch, policy=app.policy, calendar=app.calendar,
                            zone=app.zone, projections=default_projections(),
                            search_key=runtime.search_key)
        rebuilt.catch_up()
        position = rebuilt.status()[0].position
        differences = {}
        for table in view_tables():
            live, fresh = rows_of(runtime.views, table), rows_of(scratch, table)
            if live != fresh:
                differences[table.name] = len(live ^ fresh)
    return ViewsReport(position, differences)


def view_tables() -> list[Any]:
    """Return the tables a rebuild recomputes (every view table but the tracking positions)."""
    import projections.commitments  # noqa: F401  (registers every view table on the metadata)
    import projections.items  # noqa: F401

    return [t for t in metadata.sorted_tables if t is not projection_tracking]


def rows_of(views: Views, table: Any) -> set[tuple[Any, ...]]:
    """Return the rows of ``table`` as a set (counters at zero left out)."""
    with views.connect() as conn:
        rows = conn.execute(select(table)).all()
    # A counter that went back to zero keeps its row live; a rebuild never writes it.
    if "n" in table.c:
        rows = [r for r in rows if r.n]
    return {tuple(r) for r in rows}


@contextmanager
def scratch_views(settings: Any) -> Iterator[Views]:
    """Yield an empty views database beside the real one, removed afterwards."""
    if not settings.is_postgres:
        with tempfile.TemporaryDirectory(prefix="petitions-verify-") as folder:
            views = Views(f"sqlite:///{folder}/views.sqlite3")
            try:
                views.create_all()
                yield views
            finally:
                views.dispose()
        return
    import psycopg
    from psycopg import sql

    schema = f"verify_{uuid.uuid4().hex[:12]}"
    url = settings.database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    views = Views(settings.views_url(), schema)
    try:
        views.create_all()
        yield views
    finally:
        views.dispose()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
