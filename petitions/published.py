"""Items whose answer the office published (issue 18): the public side's read model.

Filled from ``AnswerPublished`` events; a view like the others (a rebuild recomputes it).
Open311 lists these items; denunciations are never listed (whether one exists is not
public: Luật Tố cáo 2018, art. 47).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, DateTime, MetaData, String, Table, Text, delete, select
from sqlalchemy.engine import Connection, Engine

from projections.outbox import utc
from projections.store import upsert

published_metadata = MetaData()
published_items = Table(
    "published_items", published_metadata,
    Column("item_id", String(36), primary_key=True),
    Column("text", Text, nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=False),
)
NEVER_LISTED = frozenset({"denunciation"})


def create_published(engine: Engine) -> None:
    """Create the table if missing."""
    published_metadata.create_all(engine)


class PublishedProjection:
    """Keep one row per item with a published answer (none once withdrawn)."""

    name = "published_items"

    def wants(self, topic: str) -> bool:
        """Tell whether events of ``topic`` publish an answer."""
        return topic.endswith(".AnswerPublished")

    def apply(self, conn: Connection, events: list[tuple[int, Any]], ctx: Any) -> None:
        """Upsert or delete the item's row, in order."""
        for _, event in events:
            item_id = str(event.originator_id)
            if event.text:
                upsert(conn, published_items, [{"item_id": item_id, "text": event.text,
                                                "published_at": utc(event.at)}], ["item_id"])
            else:
                conn.execute(delete(published_items).where(
                    published_items.c.item_id == item_id))

    def clear(self, conn: Connection) -> None:
        """Delete every row (before a rebuild)."""
        conn.execute(published_items.delete())


def published_requests(engine: Engine, *, code: str | None = None, field: str | None = None,
                       is_open: bool | None = None, start: datetime | None = None,
                       end: datetime | None = None, limit: int = 1000) -> list[dict[str, Any]]:
    """Return published items with their public facts, newest publication first."""
    from projections.items import items_view

    i, p = items_view.c, published_items.c
    query = (select(i.code, i.kind, i.field, i.agency, i.status, i.is_open, i.received_on,
                    i.due_date, i.closed_on, p.text, p.published_at)
             .select_from(published_items.join(items_view, i.id == p.item_id))
             .where(i.kind.notin_(NEVER_LISTED)))
    if code:
        query = query.where(i.code == code)
    if field:
        query = query.where(i.field == field)
    if is_open is not None:
        query = query.where(i.is_open.is_(is_open))
    if start:
        query = query.where(p.published_at >= start)
    if end:
        query = query.where(p.published_at <= end)
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(
            query.order_by(p.published_at.desc(), i.code).limit(limit)).mappings()]
